package dev.netstack.socket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.netty.channel.epoll.Epoll;
import io.netty.util.Version;

import dev.netstack.socket.bench.workload.IdleConnections;

/**
 * What the figures were measured on: printed with every table, since they mean nothing without it.
 */
final class Machine {

    private Machine() {
    }

    static String describe(List<String> jvmFlags) {
        Runtime runtime = Runtime.getRuntime();
        Version netty = Version.identify().get("netty-transport");
        return String.format("- Machine: %d CPUs online, %d usable by this process (%s), %s %s %s, open-file limit %d%n"
                + "- JVM: %s %s; flags of every measuring JVM: `%s`%n"
                + "- Netty %s (epoll %s)%n"
                + "- Load average (1, 5, 15 min) at start: %s",
                onlineCpus(), runtime.availableProcessors(), cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), IdleConnections.fdLimit(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                String.join(" ", jvmFlags), netty == null ? "?" : netty.artifactVersion(),
                Epoll.isAvailable() ? "available" : "unavailable: " + Epoll.unavailabilityCause(), loadAverage());
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        }
        catch (IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    /** CPUs the kernel runs, whatever the affinity mask ({@code taskset}) of this process allows. */
    private static int onlineCpus() {
        try {
            int count = 0;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("processor")) {
                    count++;
                }
            }
            return count > 0 ? count : Runtime.getRuntime().availableProcessors();
        }
        catch (IOException | RuntimeException ex) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // Not Linux: the architecture below says enough.
        }
        return "unknown CPU";
    }

}
