package dev.netstack.socket.bench.workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.management.UnixOperatingSystemMXBean;

import dev.netstack.socket.bench.contender.Contender;

/**
 * Workload 4: idle TCP connections. The server is a plain acceptor in another JVM; the contender opens
 * {@code count} connections to it and holds them. Heap used after repeated full GCs, before and after, gives the
 * heap per connection on the client side (direct memory too, as a remark).
 */
public final class IdleConnections {

    /** File descriptors kept free for the JVM, the selector, jars and the like. */
    static final int FD_RESERVE = 512;

    private IdleConnections() {
    }

    /**
     * Returns how many connections fit under this process's open-file limit.
     * @param wanted the connections asked for
     * @return {@code wanted}, or fewer when the limit is too low
     */
    public static int fitToFdLimit(int wanted) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long room = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - FD_RESERVE;
            if (room < wanted) {
                return (int) Math.max(0, room);
            }
        }
        return wanted;
    }

    /**
     * Returns the open-file limit of this process.
     * @return the limit, or -1 when unknown
     */
    public static long fdLimit() {
        return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * Runs the workload.
     * @param contender the client
     * @param wanted connections asked for (scaled down to the fd limit, with a warning)
     * @param serverCommand the command that starts {@link IdleServer}
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int wanted, List<String> serverCommand, Sink sink) throws Exception {
        int count = fitToFdLimit(wanted);
        String scaled = "";
        if (count < wanted) {
            scaled = "; " + count + " connections, scaled down from " + wanted + " (ulimit -n " + fdLimit() + ")";
            System.err.println("WARNING: open-file limit " + fdLimit() + " is too low for " + wanted
                    + " connections; measuring " + count + ". Raise it with `ulimit -n " + (wanted + 2 * FD_RESERVE)
                    + "`.");
        }
        if (count < 100) {
            throw new IllegalStateException("open-file limit " + fdLimit() + " leaves room for " + count
                    + " connections only; raise it with `ulimit -n`");
        }
        Process server = new ProcessBuilder(serverCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException("idle server did not start: " + line);
            }
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(5).trim()));
            long heap0 = heapAfterGc();
            long direct0 = directMemory();
            try (AutoCloseable connections = contender.idleConnections(address, count)) {
                long heap1 = heapAfterGc();
                long direct1 = directMemory();
                double direct = (double) (direct1 - direct0) / count;
                String note = (Math.abs(direct) >= 1 ? String.format("direct memory %+.0f B/conn", direct) : "")
                        + scaled;
                sink.report("idle.heap", (double) (heap1 - heap0) / count, note.isEmpty() ? null
                        : note.replaceFirst("^; ", ""));
                // The server closes first (its JVM ends), so that TIME_WAIT stays on its side, not on our ports.
                server.getOutputStream().close();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
        finally {
            server.destroyForcibly();
        }
    }

    /** Heap in use after full collections, repeated until the figure settles. */
    static long heapAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (i >= 3 && Math.abs(previous - used) < 16 * 1024) {
                break;
            }
            previous = used;
        }
        return used;
    }

    static long directMemory() {
        long used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

}
