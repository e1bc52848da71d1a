package dev.netstack.socket.bench.workload;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.Rounds;

/**
 * Workload 3: ping-pong, over UDP, TCP or a local stream. The contender is the client: it sends a 64-byte ping, waits for the 64-byte pong, and
 * sends the next one from its receive path. The echo server is the same for every contender: a plain blocking
 * thread. Round-trip times after the warm-up give p50 and p99 in microseconds.
 */
public final class PingPong {

    /** The size of ping and pong. */
    public static final int SIZE = 64;

    private PingPong() {
    }

    /**
     * Runs the workload.
     * @param contender the client
     * @param kind {@code udp}, {@code tcp} (TCP_NODELAY on) or {@code local} (a Unix domain stream)
     * @param warmup rounds before measuring
     * @param measured rounds measured
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, String kind, int warmup, int measured, Sink sink) throws Exception {
        String key = kind + "-pingpong";
        Path dir = "local".equals(kind) ? Files.createTempDirectory("socket-bench-") : null;
        try (Echo echo = switch (kind) {
            case "tcp" -> Echo.tcp(SIZE);
            case "local" -> Echo.local(dir.resolve("echo.sock"), SIZE);
            default -> Echo.udp();
        }) {
            Rounds rounds = new Rounds(warmup, measured);
            long[] rtt = "udp".equals(kind) ? contender.udpPingPong((InetSocketAddress) echo.address(), SIZE, rounds)
                    : contender.tcpPingPong(echo.address(), SIZE, rounds);
            Arrays.sort(rtt);
            String note = String.format("p99.9 %.1f us, max %.0f us", micros(rtt, 0.999), rtt[rtt.length - 1] / 1e3);
            sink.report(key + ".p50", micros(rtt, 0.50), note);
            sink.report(key + ".p99", micros(rtt, 0.99), null);
        }
        finally {
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("echo.sock"));
                Files.delete(dir);
            }
        }
    }

    private static double micros(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e3;
    }

}
