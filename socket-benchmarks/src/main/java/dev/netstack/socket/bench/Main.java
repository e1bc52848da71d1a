package dev.netstack.socket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.bench.contender.Contenders;
import dev.netstack.socket.bench.jmh.AllocationRunner;
import dev.netstack.socket.bench.jmh.LineFraming;

/**
 * Runs every workload for every contender, each in a fresh JVM with the same flags, and prints one Markdown table.
 *
 * <p>{@code java -jar socket-benchmarks.jar [--quick] [--only=...] [--contenders=...]}; see {@link Options#USAGE}.
 */
public final class Main {

    /** The most one cell may take before it is killed and reported as failed. */
    private static final Duration CELL_TIMEOUT = Duration.ofMinutes(15);

    private final Options options;

    private final Results results = new Results();

    private final Path logs;

    private int cellNumber;

    private Main(Options options) throws IOException {
        this.options = options;
        this.logs = Files.createTempDirectory("socket-benchmarks-");
    }

    /**
     * Runs the benchmarks.
     * @param args see {@link Options#USAGE}
     * @throws Exception when the run cannot start
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(64);
            return;
        }
        if (options.help) {
            System.out.print(Options.USAGE);
            return;
        }
        new Main(options).run();
    }

    private void run() throws Exception {
        String machine = Machine.describe(this.options.jvmFlags);
        Instant started = Instant.now();
        progress("socket-benchmarks " + (this.options.quick ? "(quick: numbers are not meaningful) " : "")
                + "- child logs in " + this.logs);
        progress(machine);
        Options o = this.options;
        for (String workload : o.workloads) {
            if ("alloc".equals(workload)) {
                allocation();
                continue;
            }
            if ("framing".equals(workload)) {
                framing();
                continue;
            }
            List<String[]> cells = cellsOf(workload);
            // Repetitions go round the contenders, so that a burst of load from elsewhere hits them all alike.
            for (int round = 1; round <= o.repeat; round++) {
                for (String[] cell : cells) {
                    cell(round, cell[0], cell[1], java.util.Arrays.copyOfRange(cell, 2, cell.length));
                }
            }
        }
        String ended = Machine.loadAverage();
        StringBuilder out = new StringBuilder();
        out.append("## socket-benchmarks, ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(started.atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC").append(o.quick ? " (--quick: smoke run, numbers are not meaningful)" : "").append("\n\n");
        out.append(machine).append("\n- Load average at end: ").append(ended).append("\n- Took ")
                .append(Duration.between(started, Instant.now()).toSeconds()).append(" s")
                .append(o.repeat > 1 ? "; every figure is the median of " + o.repeat + " runs with their range (min–max) in "
                        + "brackets; a ratio is the median of the ratios of the rounds, with their range" : "")
                .append('\n');
        out.append(String.format(Locale.ROOT, "- Parameters: UDP one-way and events %.1f s warm-up + %d s measured; "
                + "TCP bulk %d MiB warm-up + %d MiB measured; ping-pong %d + %d round trips; idle %d connections; "
                + "accept and echo %.1f s warm-up + %d s measured, echo over %d connections; "
                + "JMH %s, 1 fork%n- UDP one-way, events and echo: %s%n%n", o.udpWarmupMillis() / 1000.0, o.seconds, o.bulkWarmupMib(), o.bulkMib,
                o.pingWarmup(), o.rounds, o.connections, o.udpWarmupMillis() / 1000.0, o.seconds, o.echoConnections(),
                o.quick ? "1 x 1 s warm-up + 2 x 1 s" : "3 x 1 s warm-up + 5 x 1 s",
                (o.pin && dev.netstack.socket.bench.workload.Affinity.available())
                        ? "sending (load) thread pinned to CPU " + dev.netstack.socket.bench.workload.Affinity.lastCpu()
                                + ", receiving (server) thread to CPU 0, other threads free"
                        : "threads not pinned"));
        out.append(Report.render(this.results));
        if (!this.results.notes().isEmpty()) {
            out.append('\n');
            this.results.notes().forEach(n -> out.append("- ").append(n).append('\n'));
        }
        System.out.print(out);
        System.out.flush();
    }

    /** The contenders of the TLS workloads: both on the JDK's SSLEngine (Netty's SslHandler, JDK provider). */
    private static final List<String> TLS_CONTENDERS = List.of("engine", "netty-nio");

    /** The cells of a workload: workload, contender, parameters. */
    private List<String[]> cellsOf(String workload) {
        Options o = this.options;
        List<String[]> cells = new ArrayList<>();
        switch (workload) {
            case "udp" -> {
                for (int size : new int[] {64, 1024}) {
                    for (String c : contenders(Contenders.ALL)) {
                        cells.add(new String[] {"udp", c, "size=" + size, "warmup=" + o.udpWarmupMillis(),
                            "measure=" + o.udpMeasureMillis()});
                    }
                }
            }
            case "tcp-bulk" -> {
                for (String c : contenders(List.of("engine", "netty-nio", "netty-epoll", "plain"))) {
                    cells.add(new String[] {"tcp-bulk", c, "warmup=" + o.bulkWarmupMib(), "measure=" + o.bulkMib});
                }
            }
            case "local" -> {
                // A Unix domain stream: the engine, a plain JDK selector loop, and Netty's epoll DomainSocketChannel.
                List<String> local = contenders(List.of("engine", "netty-epoll", "selector"));
                for (String c : local) {
                    cells.add(new String[] {"local-bulk", c, "warmup=" + o.bulkWarmupMib(), "measure=" + o.bulkMib});
                }
                for (String c : local) {
                    cells.add(new String[] {"local-pingpong", c, "warmup=" + o.pingWarmup(), "rounds=" + o.rounds});
                }
            }
            case "ping-pong" -> {
                for (String kind : new String[] {"udp-pingpong", "tcp-pingpong"}) {
                    for (String c : contenders(Contenders.ALL)) {
                        cells.add(new String[] {kind, c, "warmup=" + o.pingWarmup(), "rounds=" + o.rounds});
                    }
                }
            }
            case "idle" -> {
                for (String c : contenders(Contenders.ALL)) {
                    cells.add(new String[] {"idle", c, "connections=" + o.connections});
                }
            }
            case "accept" -> {
                for (String c : contenders(Contenders.ALL)) {
                    cells.add(new String[] {"accept", c, "warmup=" + o.udpWarmupMillis(),
                        "measure=" + o.udpMeasureMillis()});
                }
            }
            case "echo" -> {
                // Plain blocking NIO would need a thread per connection: it sits this one out.
                for (String c : contenders(List.of("engine", "netty-nio", "netty-epoll", "selector"))) {
                    cells.add(new String[] {"echo", c, "connections=" + o.echoConnections(),
                        "warmup=" + o.udpWarmupMillis(), "measure=" + o.udpMeasureMillis()});
                }
            }
            case "server-idle" -> {
                for (String c : contenders(Contenders.ALL)) {
                    cells.add(new String[] {"server-idle", c, "connections=" + o.connections});
                }
            }
            case "tls-bulk" -> {
                for (String c : contenders(TLS_CONTENDERS)) {
                    cells.add(new String[] {"tls-bulk", c, "warmup=" + o.bulkWarmupMib(), "measure=" + o.bulkMib});
                }
            }
            case "tls-handshake" -> {
                for (String c : contenders(TLS_CONTENDERS)) {
                    cells.add(new String[] {"tls-handshake", c, "warmup=" + o.udpWarmupMillis(),
                        "measure=" + o.udpMeasureMillis()});
                }
            }
            case "tls-idle" -> {
                for (String c : contenders(TLS_CONTENDERS)) {
                    cells.add(new String[] {"tls-idle", c,
                        "connections=" + Math.min(o.connections, Options.TLS_IDLE_MAX)});
                }
            }
            case "events" -> {
                if (o.contenders.contains("engine")) {
                    for (String c : new String[] {"engine", "engine+events"}) {
                        cells.add(new String[] {"events", c, "warmup=" + o.udpWarmupMillis(),
                            "measure=" + o.udpMeasureMillis()});
                    }
                }
            }
            default -> throw new IllegalStateException(workload);
        }
        return cells;
    }

    private List<String> contenders(List<String> playing) {
        List<String> picked = new ArrayList<>();
        for (String c : playing) {
            if (this.options.contenders.contains(c)) {
                picked.add(c);
            }
        }
        return picked;
    }

    /** Runs one workload for one contender in its own JVM and files what it reports as the given round's. */
    private void cell(int round, String workload, String contender, String... params) throws Exception {
        int number = ++this.cellNumber;
        String name = workload + " " + contender + " " + String.join(" ", params);
        Path log = this.logs.resolve(String.format(Locale.ROOT, "%02d-%s-%s.log", number, workload, contender));
        List<String> args = new ArrayList<>(List.of(workload, contender));
        args.addAll(List.of(params));
        List<String> flags = new ArrayList<>(this.options.jvmFlags);
        flags.add("-Dbench.pin=" + this.options.pin);
        Process process = new ProcessBuilder(Jvm.command(flags, Cell.class, args))
                .redirectError(log.toFile()).start();
        process.getOutputStream().close();
        String column = contender.endsWith("+events") ? "engine" : contender;
        List<String> reported = new ArrayList<>();
        String outcome = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] fields = line.split("\t", -1);
                switch (fields[0]) {
                    case "RESULT" -> {
                        double value = Double.parseDouble(fields[2]);
                        this.results.put(fields[1], column, round, value, fields.length > 3 ? fields[3] : null);
                        reported.add(fields[1] + "=" + String.format(Locale.ROOT, "%.1f", value));
                    }
                    case "SKIPPED", "FAILED" -> outcome = fields[0].toLowerCase(Locale.ROOT) + ": " + fields[1];
                    default -> Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
            }
        }
        if (!process.waitFor(CELL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            outcome = "failed: timed out after " + CELL_TIMEOUT.toMinutes() + " min";
        }
        else if (outcome == null && process.exitValue() != 0) {
            outcome = "failed: exit " + process.exitValue() + " (see " + log + ")";
        }
        if (outcome != null) {
            for (String key : keysOf(workload, params)) {
                this.results.missing(key, column, outcome);
            }
        }
        progress(String.format(Locale.ROOT, "[%d] %s -> %s (load %s)", number, name,
                outcome != null ? outcome : String.join(", ", reported), Machine.loadAverage()));
    }

    /** The rows a cell fills, so that a cell without figures can say why on each. */
    private static List<String> keysOf(String workload, String... params) {
        return switch (workload) {
            case "udp" -> {
                String size = params[0].substring("size=".length());
                yield List.of("udp-" + size + ".rate", "udp-" + size + ".offered", "udp-" + size + ".loss",
                        "udp-" + size + ".cpu");
            }
            case "tcp-bulk", "local-bulk" -> List.of(workload + ".rate", workload + ".cpu");
            case "udp-pingpong", "tcp-pingpong", "local-pingpong" -> List.of(workload + ".p50", workload + ".p99");
            case "idle" -> List.of("idle.heap");
            case "accept" -> List.of("accept.rate", "accept.cpu");
            case "echo" -> List.of("echo.rate", "echo.cpu");
            case "server-idle" -> List.of("server-idle.heap");
            case "tls-bulk" -> List.of("tls-bulk.rate", "tls-bulk.cpu");
            case "tls-handshake" -> List.of("tls-handshake.rate", "tls-handshake.cpu");
            case "tls-idle" -> List.of("tls-idle.heap");
            default -> List.of();
        };
    }

    private void allocation() throws Exception {
        List<String> receivers = contenders(List.of("engine", "netty-nio", "plain"));
        List<String> senders = new ArrayList<>(receivers);
        if (senders.contains("engine")) {
            senders.add(1, "engine-future");
        }
        Path log = this.logs.resolve("jmh-allocation.log");
        progress("[jmh] allocation benchmarks for " + receivers + " (JMH report in " + log + ")");
        try {
            AllocationRunner.run(receivers, senders, this.options.quick, this.options.jvmFlags, log, figure -> {
                this.results.put(figure.key(), figure.contender(), 1, figure.bytesPerOp(),
                        String.format(Locale.ROOT, "%.0f ns/op", figure.nanosPerOp()));
                progress(String.format(Locale.ROOT, "[jmh] %s %s -> %.1f B/op, %.0f ns/op", figure.key(),
                        figure.contender(), figure.bytesPerOp(), figure.nanosPerOp()));
            });
        }
        catch (Exception ex) {
            this.results.note("Allocation benchmarks failed: " + ex.getMessage() + " (see " + log + ")");
            progress("[jmh] failed: " + ex);
        }
    }

    /**
     * Lines of 64 B through the engine's line decoder and Netty's {@code LineBasedFrameDecoder}, one JMH run per
     * repetition: frames/s of wall-clock and of CPU time, bytes per frame, and bytes per frame beyond the frame's own
     * copy (the engine's {@code byte[64]}; Netty's frame is a slice of the chunk, no copy).
     */
    private void framing() throws Exception {
        List<String> decoders = contenders(List.of("engine", "netty-nio"));
        if (decoders.isEmpty()) {
            return;
        }
        for (int round = 1; round <= this.options.repeat; round++) {
            int measured = round;
            Path log = this.logs.resolve("jmh-framing-" + round + ".log");
            progress("[jmh] line framing for " + decoders + " (JMH report in " + log + ")");
            try {
                AllocationRunner.runFraming(decoders, this.options.quick, this.options.jvmFlags, log, figure -> {
                    String column = figure.contender();
                    double copy = "engine".equals(column) ? LineFraming.FRAME_COPY_BYTES : 0;
                    this.results.put("framing.rate", column, measured, 1e9 / figure.nanosPerOp(), null);
                    this.results.put("framing.cpu-rate", column, measured, 1e9 / figure.cpuNanosPerOp(), null);
                    this.results.put("framing.alloc", column, measured, figure.bytesPerOp(), null);
                    this.results.put("framing.alloc-extra", column, measured, figure.bytesPerOp() - copy, null);
                    progress(String.format(Locale.ROOT, "[jmh] framing %s -> %.1f ns/frame (CPU %.1f ns), %.2f B/frame",
                            column, figure.nanosPerOp(), figure.cpuNanosPerOp(), figure.bytesPerOp()));
                });
            }
            catch (Exception ex) {
                this.results.note("Framing benchmark failed: " + ex.getMessage() + " (see " + log + ")");
                progress("[jmh] failed: " + ex);
            }
        }
    }

    private static void progress(String text) {
        System.err.println(text);
        System.err.flush();
    }

}
