package dev.netstack.socket.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.netstack.socket.bench.Metric.Target;

/**
 * Renders the results as one Markdown table: absolute figures per contender, the engine's ratios to Netty NIO and
 * to plain NIO, and whether the engine meets its target.
 */
final class Report {

    /** Table columns: contender id to heading. */
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("engine", "engine");
        COLUMNS.put("netty-nio", "Netty NIO");
        COLUMNS.put("netty-epoll", "Netty epoll");
        COLUMNS.put("plain", "plain NIO (blocking)");
        COLUMNS.put("selector", "plain NIO (selector)");
    }

    private Report() {
    }

    static String render(Results results) {
        StringBuilder out = new StringBuilder();
        out.append("| Workload | Metric |");
        COLUMNS.values().forEach(heading -> out.append(' ').append(heading).append(" |"));
        out.append(" engine ÷ Netty NIO | engine ÷ plain NIO | Target (engine) |\n");
        out.append("|---|---|");
        COLUMNS.keySet().forEach(column -> out.append("---:|"));
        out.append("---:|---:|---|\n");
        List<String> remarks = new ArrayList<>();
        for (Metric metric : Metric.ALL) {
            if (!results.hasRow(metric.key())) {
                continue;
            }
            out.append("| ").append(metric.workload()).append(" | ").append(metric.label()).append(" |");
            List<String> rowNotes = new ArrayList<>();
            for (String column : COLUMNS.keySet()) {
                out.append(' ').append(cell(metric, results, column)).append(" |");
                String note = results.note(metric.key(), column);
                if (note != null) {
                    rowNotes.add(COLUMNS.get(column) + ": " + note);
                }
            }
            if (!rowNotes.isEmpty()) {
                remarks.add(metric.workload() + ", " + metric.label() + " - " + String.join("; ", rowNotes));
            }
            out.append(' ').append(ratio(metric, results, "netty-nio")).append(" |");
            out.append(' ').append(ratio(metric, results, "plain")).append(" |");
            out.append(' ').append(target(metric, results)).append(" |\n");
        }
        if (!remarks.isEmpty()) {
            out.append("\nRemarks:\n");
            remarks.forEach(remark -> out.append("- ").append(remark).append('\n'));
        }
        return out.toString();
    }

    /** The median, and with two or more repetitions their range: a lead smaller than the ranges may be noise. */
    private static String cell(Metric metric, Results results, String column) {
        Double value = results.get(metric.key(), column);
        if (value == null) {
            return "n/a";
        }
        String median = format(metric.format(), value);
        if (results.count(metric.key(), column) < 2) {
            return median;
        }
        double[] range = results.range(metric.key(), column);
        return median + " (" + format(metric.format(), range[0]) + "–" + format(metric.format(), range[1]) + ")";
    }

    private static String ratio(Metric metric, Results results, String column) {
        Double ratio = ratioOf(metric, results, column);
        if (ratio == null) {
            return "";
        }
        List<Double> paired = results.pairedRatios(metric.key(), "engine", column);
        if (paired.size() < 2) {
            return format("%.2f×", ratio);
        }
        double[] range = Results.minMax(paired);
        return format("%.2f× (%.2f–%.2f)", ratio, range[0], range[1]);
    }

    /**
     * The engine's figure over a column's: the median of the ratios of the rounds both ran (each round runs the
     * contenders back to back, so a burst of load from elsewhere hits both sides of a ratio alike), or the ratio
     * of the medians when no round has both.
     * @return the ratio, or {@code null} when there is none or it would be a ratio to (nearly) nothing
     */
    private static Double ratioOf(Metric metric, Results results, String column) {
        Double engine = results.get(metric.key(), "engine");
        Double reference = results.get(metric.key(), column);
        if (!metric.ratios() || engine == null || reference == null || Math.abs(reference) < 1) {
            // A ratio to (nearly) nothing, e.g. bytes over a plain path that allocates none, says nothing.
            return null;
        }
        List<Double> paired = results.pairedRatios(metric.key(), "engine", column);
        return paired.isEmpty() ? engine / reference : Results.median(paired);
    }

    private static String target(Metric metric, Results results) {
        Target target = metric.target();
        Double engine = results.get(metric.key(), "engine");
        if (target == null) {
            return "";
        }
        String heading = target.reference() == null ? null : COLUMNS.getOrDefault(target.reference(), target.reference());
        Double reference = target.reference() == null ? null : results.get(metric.key(), target.reference());
        return switch (target.kind()) {
            case RATIO_TO_COLUMN -> {
                String goal = metric.higherIsBetter() ? format("≥ %.2f× %s", target.amount(), heading)
                        : (target.amount() == 1.0 ? "≤ " + heading : format("≤ %.2f× %s", target.amount(), heading));
                Double ratio = ratioOf(metric, results, target.reference());
                if (ratio == null) {
                    yield goal;
                }
                boolean met = metric.higherIsBetter() ? ratio >= target.amount() : ratio <= target.amount();
                yield goal + ": " + format("%.2f×", ratio) + verdict(met);
            }
            case PLUS_COLUMN -> {
                String goal = format("≤ %s + %.0f", heading, target.amount());
                if (engine == null || reference == null) {
                    yield goal;
                }
                // As for ratios: the median of the rounds' differences, each round's contenders run back to back.
                List<Double> paired = results.pairedDifferences(metric.key(), "engine", target.reference());
                double difference = paired.isEmpty() ? engine - reference : Results.median(paired);
                String spread = "";
                if (paired.size() >= 2) {
                    double[] range = Results.minMax(paired);
                    spread = format(" (%+.1f to %+.1f)", range[0], range[1]);
                }
                yield goal + ": " + format("%+.1f", difference) + spread + verdict(difference <= target.amount());
            }
            case ABSOLUTE -> {
                String goal = format("≤ " + metric.format(), target.amount());
                yield engine == null ? goal : goal + verdict(engine <= target.amount());
            }
            case RATIO_OF_ROW -> {
                Double base = results.get(target.reference(), "engine");
                String goal = format("on ÷ off ≥ %.2f", target.amount());
                if (engine == null || base == null) {
                    yield goal;
                }
                yield goal + ": " + format("%.2f", engine / base) + verdict(engine / base >= target.amount());
            }
            case OVER_COLUMN -> {
                String goal = format("≤ %s + %.0f (the payload copy)", heading, target.amount());
                if (engine == null || reference == null) {
                    yield goal;
                }
                // JMH's bytes per operation carry a fraction from its own bookkeeping (80.004 B): judge the whole bytes shown.
                yield goal + ": " + format("%+.0f", engine - reference)
                        + verdict(Math.round(engine - reference) <= target.amount());
            }
        };
    }

    private static String verdict(boolean met) {
        return met ? " **met**" : " **missed**";
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

}
