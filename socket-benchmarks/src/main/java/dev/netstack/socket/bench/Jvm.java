package dev.netstack.socket.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command lines of the child JVMs: the same {@code java}, the same class path, the same flags for every
 * contender.
 */
final class Jvm {

    /**
     * The flags of every measuring JVM: a fixed, pre-sized heap so that no contender pays for heap growth, its pages
     * touched at start as a long-running process has them. Untouched, each first write to a 4 KiB page of the young
     * generation faults (about 10 us on a virtual machine), and a contender that copies each message (1 KiB) pays a
     * fault every few messages for as long as a short run lasts, while one that reuses pooled buffers does not.
     */
    static final List<String> DEFAULT_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch");

    /** The flags of the helper JVMs of the idle workloads: the idle server, the idle clients. */
    static final List<String> SERVER_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> command(List<String> flags, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

}
