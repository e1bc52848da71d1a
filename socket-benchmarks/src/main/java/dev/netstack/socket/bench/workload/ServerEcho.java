package dev.netstack.socket.bench.workload;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.ServerRole;
import dev.netstack.socket.bench.contender.TcpServer;

/**
 * Server workload 2: echo. One load thread, the same for every contender ({@link EchoLoad}), keeps one 64-byte
 * message out on each of its connections to the contender's echo server; after a warm-up, the messages echoed per
 * second and the CPU time of the server's threads per message are measured. Where it can, the run pins the load
 * and the server's thread to different cores, as the UDP workload does.
 */
public final class ServerEcho {

    /** The size of a message. */
    public static final int SIZE = 64;

    private ServerEcho() {
    }

    /**
     * Runs the workload.
     * @param contender the server
     * @param connections how many connections the load opens
     * @param warmupMillis how long to echo before measuring
     * @param measureMillis how long to measure
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int connections, long warmupMillis, long measureMillis, Sink sink)
            throws Exception {
        try (TcpServer server = contender.tcpServer(ServerRole.ECHO);
                EchoLoad load = new EchoLoad(server.port(), connections, SIZE)) {
            load.start();
            String pinned = "";
            if (UdpOneWay.PIN) {
                int loads = Affinity.pin(EchoLoad.THREAD_NAME, Affinity.lastCpu());
                int servers = Affinity.pin(server.threadName(), 0);
                pinned = (loads >= 1 && servers >= 1) ? "" : "; pinning failed";
            }
            Thread.sleep(warmupMillis);
            long echoed0 = load.echoed().messages();
            long cpu0 = ThreadCpu.nanos(server.threadName());
            long t0 = System.nanoTime();
            Thread.sleep(measureMillis);
            long echoed1 = load.echoed().messages();
            long cpu1 = ThreadCpu.nanos(server.threadName());
            long t1 = System.nanoTime();
            load.check();
            long echoed = Math.max(1, echoed1 - echoed0);
            sink.report("echo.rate", echoed / ((t1 - t0) / 1e9), null);
            sink.report("echo.cpu", (double) (cpu1 - cpu0) / echoed, String.format(
                    "server thread busy %.0f%% of the window%s", 100.0 * (cpu1 - cpu0) / (t1 - t0), pinned));
        }
    }

}
