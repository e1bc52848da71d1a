package dev.netstack.socket.bench.workload;

/**
 * Where a workload reports its figures: one line per figure on standard output, read by the parent process.
 */
public interface Sink {

    /**
     * Reports one figure.
     * @param key the metric key, e.g. {@code udp-64.rate}
     * @param value the value in the metric's unit
     * @param note a remark shown with the table, or {@code null}
     */
    void report(String key, double value, String note);

}
