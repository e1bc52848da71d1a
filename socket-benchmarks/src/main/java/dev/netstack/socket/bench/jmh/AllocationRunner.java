package dev.netstack.socket.bench.jmh;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks (allocation per datagram and per send, and line framing) with the GC profiler, in forked
 * JVMs with the given flags.
 */
public final class AllocationRunner {

    private AllocationRunner() {
    }

    /**
     * One figure of a JMH run.
     *
     * @param key {@code alloc.receive}, {@code alloc.send}, {@code alloc.send-future} or {@code framing}
     * @param contender the contender id (table column)
     * @param bytesPerOp {@code gc.alloc.rate.norm}
     * @param nanosPerOp the primary score
     * @param cpuNanosPerOp the benchmark thread's CPU time per operation, where the benchmark counts it, else NaN
     */
    public record Figure(String key, String contender, double bytesPerOp, double nanosPerOp, double cpuNanosPerOp) {
    }

    /**
     * Runs the benchmarks.
     * @param receivers receiver contenders, may be empty
     * @param senders sender contenders ({@code engine-future} for the promise form), may be empty
     * @param quick short iterations
     * @param jvmFlags flags of the forked JVM
     * @param log where JMH writes its own report
     * @param figures receives each figure
     * @throws Exception when JMH fails
     */
    public static void run(List<String> receivers, List<String> senders, boolean quick, List<String> jvmFlags,
            Path log, Consumer<Figure> figures) throws Exception {
        ChainedOptionsBuilder options = options(quick, jvmFlags, log);
        if (receivers.isEmpty() && senders.isEmpty()) {
            return;
        }
        if (!receivers.isEmpty()) {
            options.include(ReceiveAllocation.class.getName() + ".receive").param("receiver", receivers.toArray(String[]::new));
        }
        if (!senders.isEmpty()) {
            options.include(SendAllocation.class.getName() + ".send").param("sender", senders.toArray(String[]::new));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            boolean receive = benchmark.endsWith(".receive");
            String contender = run.getParams().getParam(receive ? "receiver" : "sender");
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            String key = receive ? "alloc.receive" : ("engine-future".equals(contender) ? "alloc.send-future" : "alloc.send");
            String column = "engine-future".equals(contender) ? "engine" : contender;
            figures.accept(new Figure(key, column, alloc == null ? Double.NaN : alloc.getScore(),
                    run.getPrimaryResult().getScore(), Double.NaN));
        }
    }

    /**
     * Runs the line framing benchmark, {@link LineFraming}.
     * @param decoders the decoders ({@code engine}, {@code netty-nio}), not empty
     * @param quick short iterations
     * @param jvmFlags flags of the forked JVM
     * @param log where JMH writes its own report
     * @param figures receives each figure, key {@code framing}: bytes, nanoseconds and CPU nanoseconds per line
     * @throws Exception when JMH fails
     */
    public static void runFraming(List<String> decoders, boolean quick, List<String> jvmFlags, Path log,
            Consumer<Figure> figures) throws Exception {
        ChainedOptionsBuilder options = options(quick, jvmFlags, log)
                // A fresh heap's first pass over its pages is charged to the allocating thread as page faults, and a
                // run this short never gets past it: that measured the kernel, ten times the decoders' own work.
                .jvmArgsAppend("-XX:+AlwaysPreTouch")
                .include(LineFraming.class.getName() + ".decode")
                .param("decoder", decoders.toArray(String[]::new));
        for (RunResult run : new Runner(options.build()).run()) {
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            Result<?> cpuNanos = run.getSecondaryResults().get("cpuNanos");
            Result<?> lines = run.getSecondaryResults().get("lines");
            figures.accept(new Figure("framing", run.getParams().getParam("decoder"),
                    alloc == null ? Double.NaN : alloc.getScore(), run.getPrimaryResult().getScore(),
                    (cpuNanos == null || lines == null) ? Double.NaN : cpuNanos.getScore() / lines.getScore()));
        }
    }

    private static ChainedOptionsBuilder options(boolean quick, List<String> jvmFlags, Path log) {
        return new OptionsBuilder()
                .addProfiler(GCProfiler.class)
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs(jvmFlags.toArray(String[]::new))
                .shouldFailOnError(true)
                .output(log.toString());
    }

}
