package dev.netstack.socket.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command lines of the child JVMs: the same {@code java}, the same class path, the same flags for every
 * contender.
 */
final class Jvm {

    /** The flags of every measuring JVM: a fixed, pre-sized heap so that no contender pays for heap growth. */
    static final List<String> DEFAULT_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

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
