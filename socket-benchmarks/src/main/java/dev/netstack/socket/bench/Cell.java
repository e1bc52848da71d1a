package dev.netstack.socket.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.Contenders;
import dev.netstack.socket.bench.workload.Events;
import dev.netstack.socket.bench.workload.IdleAccepted;
import dev.netstack.socket.bench.workload.IdleClients;
import dev.netstack.socket.bench.workload.IdleConnections;
import dev.netstack.socket.bench.workload.IdleServer;
import dev.netstack.socket.bench.workload.PingPong;
import dev.netstack.socket.bench.workload.ServerAccept;
import dev.netstack.socket.bench.workload.ServerEcho;
import dev.netstack.socket.bench.workload.Sink;
import dev.netstack.socket.bench.workload.TcpBulk;
import dev.netstack.socket.bench.workload.UdpOneWay;

/**
 * Runs one workload for one contender in a fresh JVM, so that no contender inherits another's JIT state, garbage or
 * threads. Reports on standard output, one line per figure:
 * {@code RESULT <key> <value> <note>}, {@code SKIPPED <reason>} or {@code FAILED <reason>} (tab-separated).
 *
 * <p>Usage: {@code Cell <workload> <contender> [name=value ...]}.
 */
public final class Cell {

    private Cell() {
    }

    /**
     * Runs the cell and exits.
     * @param args workload, contender, parameters
     */
    public static void main(String[] args) {
        String workload = args[0];
        String contender = args[1];
        Map<String, String> params = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Sink sink = (key, value, note) -> System.out.println("RESULT\t" + key + "\t" + value + "\t"
                + (note == null ? "" : note.replace('\t', ' ')));
        int status = 0;
        try {
            run(workload, contender, params, sink);
        }
        catch (UnsupportedOperationException | LinkageError ex) {
            // A role the contender does not play, epoll that does not load, TCP that is not built yet.
            System.out.println("SKIPPED\t" + describe(ex));
        }
        catch (Throwable ex) {
            if (String.valueOf(rootOf(ex).getMessage()).contains("not built yet")) {
                System.out.println("SKIPPED\t" + rootOf(ex).getMessage() + " on this branch");
                System.out.flush();
                System.exit(0);
            }
            ex.printStackTrace();
            System.out.println("FAILED\t" + describe(ex));
            status = 2;
        }
        System.out.flush();
        // Leftover non-daemon threads (a stuck loop) must not keep the cell alive.
        System.exit(status);
    }

    private static void run(String workload, String contender, Map<String, String> params, Sink sink) throws Exception {
        switch (workload) {
            case "udp" -> {
                int size = Integer.parseInt(params.get("size"));
                try (Contender c = Contenders.start(contender)) {
                    UdpOneWay.run(c, size, millis(params, "warmup"), millis(params, "measure"), "udp-" + size, sink);
                }
            }
            case "tcp-bulk" -> {
                try (Contender c = Contenders.start(contender)) {
                    TcpBulk.run(c, mib(params, "warmup"), mib(params, "measure"), sink);
                }
            }
            case "local-bulk" -> {
                Path dir = Files.createTempDirectory("socket-bench-");
                try (Contender c = Contenders.start(contender)) {
                    TcpBulk.run(c, mib(params, "warmup"), mib(params, "measure"), dir.resolve("sink.sock"), sink);
                }
                finally {
                    Files.deleteIfExists(dir.resolve("sink.sock"));
                    Files.delete(dir);
                }
            }
            case "udp-pingpong", "tcp-pingpong", "local-pingpong" -> {
                try (Contender c = Contenders.start(contender)) {
                    PingPong.run(c, workload.substring(0, workload.indexOf('-')), Integer.parseInt(params.get("warmup")),
                            Integer.parseInt(params.get("rounds")), sink);
                }
            }
            case "idle" -> {
                try (Contender c = Contenders.start(contender)) {
                    IdleConnections.run(c, Integer.parseInt(params.get("connections")),
                            Jvm.command(Jvm.SERVER_FLAGS, IdleServer.class, List.of()), sink);
                }
            }
            case "accept" -> {
                try (Contender c = Contenders.start(contender)) {
                    ServerAccept.run(c, millis(params, "warmup"), millis(params, "measure"), sink);
                }
            }
            case "echo" -> {
                try (Contender c = Contenders.start(contender)) {
                    ServerEcho.run(c, Integer.parseInt(params.get("connections")), millis(params, "warmup"),
                            millis(params, "measure"), sink);
                }
            }
            case "server-idle" -> {
                try (Contender c = Contenders.start(contender)) {
                    IdleAccepted.run(c, Integer.parseInt(params.get("connections")),
                            Jvm.command(Jvm.SERVER_FLAGS, IdleClients.class, List.of()), sink);
                }
            }
            case "tls-bulk" -> {
                try (Contender c = Contenders.start(contender)) {
                    TcpBulk.run(c, mib(params, "warmup"), mib(params, "measure"), sink, true);
                }
            }
            case "tls-handshake" -> {
                try (Contender c = Contenders.start(contender)) {
                    ServerAccept.run(c, millis(params, "warmup"), millis(params, "measure"), sink, true);
                }
            }
            case "tls-idle" -> {
                try (Contender c = Contenders.start(contender)) {
                    IdleAccepted.run(c, Integer.parseInt(params.get("connections")),
                            Jvm.command(Jvm.SERVER_FLAGS, IdleClients.class, List.of()), sink, true);
                }
            }
            case "events" -> Events.run(contender.endsWith("+events"), millis(params, "warmup"),
                    millis(params, "measure"), sink);
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "'");
        }
    }

    private static long millis(Map<String, String> params, String name) {
        return Long.parseLong(params.get(name));
    }

    private static long mib(Map<String, String> params, String name) {
        return Long.parseLong(params.get(name)) << 20;
    }

    private static Throwable rootOf(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable ex) {
        Throwable root = rootOf(ex);
        String text = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        if (root != ex) {
            text += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text.replace('\t', ' ').replace('\n', ' ');
    }

}
