package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins threads of this JVM to CPUs, by their names, with {@code taskset -p} (Linux only).
 *
 * <p>Why: in the one-way UDP workload two threads are busy at once, the sender and the receiver. On a small machine
 * the scheduler sometimes puts both on one core; the receiver then runs a third of the time and drops half of the
 * datagrams, whoever the contender is, and two runs of the same cell differ by 3x. Pinning the two to different
 * cores removes that lottery; every other thread stays where the scheduler puts it.
 */
public final class Affinity {

    private Affinity() {
    }

    /**
     * Tells whether pinning can work here: Linux, {@code taskset} present, at least two usable CPUs.
     * @return whether {@link #pin} will do anything
     */
    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self/task")) && Files.isExecutable(Path.of("/usr/bin/taskset"))
                && Runtime.getRuntime().availableProcessors() >= 2;
    }

    /**
     * Pins every thread whose name starts with {@code prefix} to one CPU.
     * @param prefix the start of the thread name (the kernel keeps the first 15 characters)
     * @param cpu the CPU number
     * @return how many threads were pinned
     */
    public static int pin(String prefix, int cpu) {
        if (!available()) {
            return 0;
        }
        String kernelPrefix = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        int pinned = 0;
        for (String tid : threadIds(kernelPrefix)) {
            try {
                Process taskset = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (taskset.waitFor(5, TimeUnit.SECONDS) && taskset.exitValue() == 0) {
                    pinned++;
                }
            }
            catch (IOException ex) {
                return pinned;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return pinned;
            }
        }
        return pinned;
    }

    /**
     * Returns the highest CPU number this process may use.
     * @return e.g. 1 on a 2-CPU machine
     */
    public static int lastCpu() {
        return Runtime.getRuntime().availableProcessors() - 1;
    }

    private static List<String> threadIds(String kernelPrefix) {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().startsWith(kernelPrefix)) {
                        ids.add(task.getFileName().toString());
                    }
                }
                catch (IOException ex) {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (IOException ex) {
            // Not Linux after all: nothing to pin.
        }
        return ids;
    }

}
