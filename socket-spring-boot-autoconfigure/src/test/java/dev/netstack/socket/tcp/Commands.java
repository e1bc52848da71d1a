package dev.netstack.socket.tcp;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Probes for the programs that real-peer tests run, so that a test skips, saying why, where one is missing.
 */
public final class Commands {

    private Commands() {
    }

    /**
     * Tells whether a command runs and exits with 0 within 10 s.
     * @param command the program and its arguments, e.g. {@code "openssl", "version"}
     * @return whether it did
     */
    public static boolean available(String... command) {
        try {
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
