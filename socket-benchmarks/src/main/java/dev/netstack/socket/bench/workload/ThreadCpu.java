package dev.netstack.socket.bench.workload;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time of a contender's own threads, found by the start of their names.
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    /**
     * Sums the CPU time of every live thread whose name starts with a prefix.
     * @param prefix e.g. {@code engine-io-}
     * @return nanoseconds
     * @throws IllegalStateException when no thread has that name
     */
    static long nanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        boolean found = false;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no thread named " + prefix + "*");
        }
        return total;
    }

}
