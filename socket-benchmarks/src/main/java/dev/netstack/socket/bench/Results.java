package dev.netstack.socket.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a run, by metric key and table column, with the remarks that go under the table.
 */
final class Results {

    /** Every repetition's value; the table shows the median. */
    private final Map<String, Map<String, List<Double>>> values = new HashMap<>();

    private final Map<String, Map<String, String>> cellNotes = new HashMap<>();

    private final List<String> notes = new ArrayList<>();

    void put(String key, String column, double value, String note) {
        this.values.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(column, c -> new ArrayList<>()).add(value);
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
        Map<String, List<Double>> row = this.values.get(key);
        List<Double> all = (row == null) ? null : row.get(column);
        if (all == null || all.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(all);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * Returns how many repetitions produced a figure.
     * @return the count
     */
    int count(String key, String column) {
        Map<String, List<Double>> row = this.values.get(key);
        List<Double> all = (row == null) ? null : row.get(column);
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

}
