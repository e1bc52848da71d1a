package dev.netstack.socket.bench.workload;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.UdpSink;

/**
 * Workload 1: one-way UDP. A plain blocking sender (the same for every contender) sends {@code size}-byte datagrams
 * as fast as it can to the contender's receiver on 127.0.0.1; after a warm-up, the datagrams received per second,
 * the share lost (sent but never handed to the receiver's code) and the CPU time of the receiving thread per
 * datagram are measured. On loopback the sender's thread also runs the kernel's receive path, so on a small machine
 * the sender may be the bottleneck: then the rate shows the offered load and the CPU time per datagram is the
 * figure that compares the receivers. Where it can, the run pins the sender and the receiving thread to different
 * cores ({@link Affinity}).
 */
public final class UdpOneWay {

    /** Whether sender and receiver are pinned to different cores: on unless {@code -Dbench.pin=false}. */
    static final boolean PIN = Boolean.parseBoolean(System.getProperty("bench.pin", "true"));

    private UdpOneWay() {
    }

    /**
     * Runs the workload.
     * @param contender the receiver
     * @param size the payload size
     * @param warmupMillis how long to send before measuring
     * @param measureMillis how long to measure
     * @param key the metric prefix, e.g. {@code udp-64}
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int size, long warmupMillis, long measureMillis, String key,
            Sink sink) throws Exception {
        run(contender, size, warmupMillis, measureMillis, key, sink, null);
    }

    /**
     * Runs the workload and also measures the CPU time of one more thread per datagram received.
     * @param contender the receiver
     * @param size the payload size
     * @param warmupMillis how long to send before measuring
     * @param measureMillis how long to measure
     * @param key the metric prefix, e.g. {@code udp-64}
     * @param sink where the figures go
     * @param helper the name of a thread that works for the receiver (reported as {@code <key>.helper-cpu}), or
     * {@code null}
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, int size, long warmupMillis, long measureMillis, String key,
            Sink sink, String helper) throws Exception {
        try (UdpSink receiver = contender.udpSink(); UdpBlaster sender = new UdpBlaster(receiver.port(), size)) {
            sender.start();
            String pinned = "";
            if (PIN) {
                // Sender and receiver on different cores, every run alike (see Affinity).
                int senders = Affinity.pin(UdpBlaster.THREAD_NAME, Affinity.lastCpu());
                int receivers = Affinity.pin(receiver.threadName(), 0);
                pinned = (senders >= 1 && receivers >= 1) ? "" : "; pinning failed";
            }
            Thread.sleep(warmupMillis);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long receiving = threadId(receiver.threadName());
            long helping = (helper != null) ? threadId(helper) : -1;
            long sent0 = sender.sent();
            long helper0 = (helping >= 0) ? threads.getThreadCpuTime(helping) : 0;
            long parks0 = (helper != null) ? voluntarySwitches(helper) : -1;
            long cpu0 = threads.getThreadCpuTime(receiving);
            long received0 = receiver.counter().messages();
            long t0 = System.nanoTime();
            Thread.sleep(measureMillis);
            long received1 = receiver.counter().messages();
            long cpu1 = threads.getThreadCpuTime(receiving);
            long helper1 = (helping >= 0) ? threads.getThreadCpuTime(helping) : 0;
            long parks1 = (helper != null) ? voluntarySwitches(helper) : -1;
            long t1 = System.nanoTime();
            long sent1 = sender.stop();
            long drained = drain(receiver);
            double seconds = (t1 - t0) / 1e9;
            double rate = (received1 - received0) / seconds;
            long sentInWindow = sent1 - sent0;
            double loss = sentInWindow > 0 ? 100.0 * (1 - (double) (drained - received0) / sentInWindow) : 0;
            sink.report(key + ".rate", rate, null);
            sink.report(key + ".offered", sentInWindow / seconds, null);
            sink.report(key + ".loss", Math.max(0, loss), null);
            sink.report(key + ".cpu", (double) (cpu1 - cpu0) / Math.max(1, received1 - received0),
                    String.format("receiving thread busy %.0f%% of the window%s", 100.0 * (cpu1 - cpu0) / (t1 - t0),
                            pinned));
            if (helping >= 0) {
                sink.report(key + ".helper-cpu", (double) (helper1 - helper0) / Math.max(1, received1 - received0),
                        String.format("thread %s busy %.0f%% of the window", helper,
                                100.0 * (helper1 - helper0) / (t1 - t0)));
            }
            if (parks0 >= 0 && parks1 >= 0) {
                // Each time the helper gave up its core (it parks when its queue is empty), someone had to wake it:
                // a system call paid by the receiving thread.
                sink.report(key + ".helper-wakeups", 1000.0 * (parks1 - parks0) / Math.max(1, received1 - received0),
                        String.format("%d voluntary context switches of %s", parks1 - parks0, helper));
            }
        }
    }

    /**
     * Reads the voluntary context switches of a thread from Linux's /proc, finding it by its name (the kernel keeps
     * its first 15 characters).
     * @return the count, or -1 where /proc does not tell
     */
    private static long voluntarySwitches(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files
            .newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks) {
                if (!java.nio.file.Files.readString(task.resolve("comm")).strip().equals(comm)) {
                    continue;
                }
                for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                    }
                }
            }
        }
        catch (java.io.IOException | RuntimeException ex) {
            return -1;
        }
        return -1;
    }

    /** Finds the receiving thread by the start of its name. */
    private static long threadId(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(name)) {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no thread named " + name + "*");
    }

    /** Waits until the receiver has taken what the kernel still holds, so that loss counts only real drops. */
    private static long drain(UdpSink receiver) throws InterruptedException {
        long last = receiver.counter().messages();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = receiver.counter().messages();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

}
