package dev.netstack.socket.bench.workload;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU time of a sender: the thread that made this object (where plain NIO writes) plus every thread whose name
 * starts with a prefix (a framework's I/O threads). Readable from any thread.
 */
final class SenderCpu {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private final long caller = Thread.currentThread().getId();

    private final String prefix;

    private volatile List<Long> others;

    SenderCpu(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Sums the CPU time so far.
     * @return nanoseconds
     */
    long nanos() {
        long total = Math.max(0, this.threads.getThreadCpuTime(this.caller));
        for (long id : others()) {
            total += Math.max(0, this.threads.getThreadCpuTime(id));
        }
        return total;
    }

    private List<Long> others() {
        List<Long> found = this.others;
        if (found == null || found.isEmpty()) {
            // Looked up until found: a framework may start its I/O thread only with the first connection.
            found = new ArrayList<>();
            if (this.prefix != null) {
                for (Thread thread : Thread.getAllStackTraces().keySet()) {
                    if (thread.getName().startsWith(this.prefix)) {
                        found.add(thread.getId());
                    }
                }
            }
            this.others = found;
        }
        return found;
    }

}
