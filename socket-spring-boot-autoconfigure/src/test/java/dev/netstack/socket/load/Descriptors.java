package dev.netstack.socket.load;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test, saying why, when the process may not open as many file descriptors as the test needs.
 */
public final class Descriptors {

    private Descriptors() {
    }

    /**
     * Skips the test unless {@code needed} descriptors are free under the process's limit.
     * @param needed descriptors the test opens, with room for the JVM, the build and the selectors
     * @param what what needs them, e.g. "2000 connections"
     */
    public static void assumeFree(long needed, String what) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
            Assumptions.assumeTrue(free >= needed, "skipped: " + what + " need about " + needed
                    + " free file descriptors, but the limit leaves " + free
                    + "; raise it with 'ulimit -n 65536' (.ci/run does) and run again");
        }
    }

}
