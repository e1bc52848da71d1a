package dev.netstack.socket.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * Every figure of a run, by metric key, table column and round, with the remarks that go under the table.
 */
final class Results {

    /** Every repetition's value by round; the table shows the median and the spread. */
    private final Map<String, Map<String, TreeMap<Integer, Double>>> values = new HashMap<>();

    private final Map<String, Map<String, String>> cellNotes = new HashMap<>();

    private final List<String> notes = new ArrayList<>();

    /**
     * Files one figure.
     * @param key the metric
     * @param column the contender
     * @param round the repetition it came from, from 1; the same round of two contenders ran back to back
     * @param value the figure
     * @param note a remark, or {@code null}
     */
    void put(String key, String column, int round, double value, String note) {
        this.values.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(column, c -> new TreeMap<>())
            .put(round, value);
        if (note != null && !note.isBlank()) {
            this.cellNotes.computeIfAbsent(key, k -> new HashMap<>()).put(column, note);
        }
    }

    /** A cell that produced no figure: the table shows the reason as a remark. */
    void missing(String key, String column, String reason) {
        this.cellNotes.computeIfAbsent(key, k -> new HashMap<>()).put(column, reason);
    }

    /**
     * Returns the median of the repetitions of a figure.
     * @return the median, or {@code null} when there is none
     */
    Double get(String key, String column) {
        TreeMap<Integer, Double> all = rounds(key, column);
        return (all == null || all.isEmpty()) ? null : median(all.values());
    }

    /**
     * Returns the smallest and the largest repetition of a figure.
     * @return {min, max}, or {@code null} when there is none
     */
    double[] range(String key, String column) {
        TreeMap<Integer, Double> all = rounds(key, column);
        return (all == null || all.isEmpty()) ? null : minMax(all.values());
    }

    /**
     * Returns the engine's figure over another column's, round by round: each pair ran back to back, so load from
     * elsewhere hit both alike.
     * @return the ratio of each round that both columns have, possibly none
     */
    List<Double> pairedRatios(String key, String column, String reference) {
        return paired(key, column, reference, (value, other) -> Math.abs(other) < 1e-9 ? null : value / other);
    }

    /**
     * Returns the engine's figure minus another column's, round by round, for the same reason as
     * {@link #pairedRatios}.
     * @return the difference of each round that both columns have, possibly none
     */
    List<Double> pairedDifferences(String key, String column, String reference) {
        return paired(key, column, reference, (value, other) -> value - other);
    }

    private List<Double> paired(String key, String column, String reference, BinaryOperator<Double> compare) {
        TreeMap<Integer, Double> mine = rounds(key, column);
        TreeMap<Integer, Double> theirs = rounds(key, reference);
        List<Double> compared = new ArrayList<>();
        if (mine == null || theirs == null) {
            return compared;
        }
        mine.forEach((round, value) -> {
            Double other = theirs.get(round);
            Double result = (other != null) ? compare.apply(value, other) : null;
            if (result != null) {
                compared.add(result);
            }
        });
        return compared;
    }

    /**
     * Returns how many repetitions produced a figure.
     * @return the count
     */
    int count(String key, String column) {
        TreeMap<Integer, Double> all = rounds(key, column);
        return (all == null) ? 0 : all.size();
    }

    String note(String key, String column) {
        Map<String, String> row = this.cellNotes.get(key);
        return row == null ? null : row.get(column);
    }

    boolean hasRow(String key) {
        return this.values.containsKey(key) || this.cellNotes.containsKey(key);
    }

    void note(String text) {
        this.notes.add(text);
    }

    List<String> notes() {
        return this.notes;
    }

    private TreeMap<Integer, Double> rounds(String key, String column) {
        Map<String, TreeMap<Integer, Double>> row = this.values.get(key);
        return (row == null) ? null : row.get(column);
    }

    static double median(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static double[] minMax(Collection<Double> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new double[] {min, max};
    }

}
