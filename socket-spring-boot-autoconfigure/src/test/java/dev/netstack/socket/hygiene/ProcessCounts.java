package dev.netstack.socket.hygiene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a leak would grow: this process's open file descriptors and live threads.
 */
public final class ProcessCounts {

    private static final Path FDS = Path.of("/proc/self/fd");

    private ProcessCounts() {
    }

    /** Whether this platform lets a test count descriptors. */
    public static boolean descriptorsCountable() {
        return Files.isDirectory(FDS);
    }

    /** The open file descriptors of this process. */
    public static long descriptors() {
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The names of this process's live threads, but Awaitility's own: it polls a condition on a thread of its own,
     * which a check made inside an await would otherwise count.
     */
    static List<String> threads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.isAlive() && !thread.getName().startsWith("awaitility"))
            .map(Thread::getName)
            .sorted()
            .toList();
    }

    /** The live threads whose names start with a prefix. */
    static List<String> threads(String namePrefix) {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.isAlive() && thread.getName().startsWith(namePrefix))
            .map(Thread::getName)
            .toList();
    }

}
