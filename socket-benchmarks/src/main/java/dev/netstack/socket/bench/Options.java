package dev.netstack.socket.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.netstack.socket.bench.contender.Contenders;

/**
 * The command line of {@link Main}.
 */
final class Options {

    /** The workloads, in run order. */
    static final List<String> WORKLOADS = List.of("udp", "tcp-bulk", "ping-pong", "local", "idle", "accept", "echo",
            "server-idle", "events", "alloc", "framing", "tls-bulk", "tls-handshake", "tls-idle");

    /** What {@code --only=server} stands for. */
    static final List<String> SERVER_WORKLOADS = List.of("accept", "echo", "server-idle");

    /** What {@code --only=tls} stands for. */
    static final List<String> TLS_WORKLOADS = List.of("tls-bulk", "tls-handshake", "tls-idle");

    /** The most connections of the TLS idle workload: its peer makes every handshake in turn, on one thread. */
    static final int TLS_IDLE_MAX = 2_000;

    static final String USAGE = """
            Usage: java -jar socket-benchmarks.jar [options]
              --quick               short runs for a smoke test (numbers are not meaningful)
              --only=W[,W...]       workloads to run, of: udp, tcp-bulk, ping-pong, local, idle, accept, echo,
                                    server-idle, events, alloc, framing, tls-bulk, tls-handshake, tls-idle;
                                    server stands for accept,echo,server-idle and tls for the three tls-*;
                                    local is bulk and ping-pong over a Unix domain socket
              --contenders=C[,C...] contenders, of: engine, netty-nio, netty-epoll, plain, selector
              --seconds=N           UDP one-way and events: seconds measured (default 5; quick 1)
              --rounds=N            ping-pong: round trips measured (default 100000; quick 10000)
              --ping-warmup=N       ping-pong: round trips before measuring (default 200000; quick 2000)
              --bulk-mib=N          TCP and TLS bulk: MiB measured after the warm-up (default 1024; quick 128)
              --connections=N       idle and server-idle: connections (default 10000; quick 1000);
                                    tls-idle: at most 2000 of them
              --echo-connections=N  echo: connections (default 1000; quick 100)
              --no-pin              do not pin the UDP sender and receiver to different cores
              --repeat=N            run every cell N times, interleaved, and report the median (default 1)
              --jvm-args="..."      flags for every measuring JVM
                                    (default: -Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch)
              --help                this text
            Prints a Markdown table on standard output; progress goes to standard error.
            """;

    boolean quick;

    Set<String> workloads = new LinkedHashSet<>(WORKLOADS);

    Set<String> contenders = new LinkedHashSet<>(Contenders.ALL);

    int seconds = 5;

    int rounds = 100_000;

    /**
     * Ping-pong rounds before measuring: enough for the JIT to finish with the receive and send paths, which on a
     * pinned run compiles on the same core as the round trips and would otherwise be measured with them.
     */
    int pingWarmup = 200_000;

    int bulkMib = 1024;

    int connections = 10_000;

    int echoConnections = 1_000;

    int repeat = 1;

    boolean pin = true;

    List<String> jvmFlags = Jvm.DEFAULT_FLAGS;

    boolean help;

    static Options parse(String[] args) {
        Options options = new Options();
        boolean secondsSet = false;
        boolean roundsSet = false;
        boolean pingWarmupSet = false;
        boolean bulkSet = false;
        boolean connectionsSet = false;
        boolean echoSet = false;
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (name) {
                case "--quick" -> options.quick = true;
                case "--only" -> options.workloads = pick(value, WORKLOADS, "workload");
                case "--contenders" -> options.contenders = pick(value, Contenders.ALL, "contender");
                case "--seconds" -> {
                    options.seconds = positive(name, value);
                    secondsSet = true;
                }
                case "--rounds" -> {
                    options.rounds = positive(name, value);
                    roundsSet = true;
                }
                case "--ping-warmup" -> {
                    options.pingWarmup = positive(name, value);
                    pingWarmupSet = true;
                }
                case "--bulk-mib" -> {
                    options.bulkMib = positive(name, value);
                    bulkSet = true;
                }
                case "--connections" -> {
                    options.connections = positive(name, value);
                    connectionsSet = true;
                }
                case "--echo-connections" -> {
                    options.echoConnections = positive(name, value);
                    echoSet = true;
                }
                case "--no-pin" -> options.pin = false;
                case "--repeat" -> options.repeat = positive(name, value);
                case "--jvm-args" -> options.jvmFlags = value.isBlank() ? List.of()
                        : new ArrayList<>(Arrays.asList(value.trim().split("\\s+")));
                case "--help", "-h" -> options.help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        if (options.quick) {
            options.seconds = secondsSet ? options.seconds : 1;
            options.rounds = roundsSet ? options.rounds : 10_000;
            options.pingWarmup = pingWarmupSet ? options.pingWarmup : 2_000;
            options.bulkMib = bulkSet ? options.bulkMib : 128;
            options.connections = connectionsSet ? options.connections : 1000;
            options.echoConnections = echoSet ? options.echoConnections : 100;
        }
        return options;
    }

    long udpWarmupMillis() {
        return this.quick ? 500 : 2000;
    }

    long udpMeasureMillis() {
        return this.seconds * 1000L;
    }

    int echoConnections() {
        return this.echoConnections;
    }

    int pingWarmup() {
        return this.pingWarmup;
    }

    int bulkWarmupMib() {
        return this.quick ? 32 : 256;
    }

    private static Set<String> pick(String value, List<String> known, String what) {
        Set<String> picked = new LinkedHashSet<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (known == WORKLOADS && "server".equals(trimmed)) {
                picked.addAll(SERVER_WORKLOADS);
                continue;
            }
            if (known == WORKLOADS && "tls".equals(trimmed)) {
                picked.addAll(TLS_WORKLOADS);
                continue;
            }
            if (!known.contains(trimmed)) {
                throw new IllegalArgumentException(what + " '" + trimmed + "' is not one of " + known);
            }
            picked.add(trimmed);
        }
        return picked;
    }

    private static int positive(String name, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a number");
        }
        if (parsed < 1) {
            throw new IllegalArgumentException(name + " " + parsed + " must be at least 1");
        }
        return parsed;
    }

}
