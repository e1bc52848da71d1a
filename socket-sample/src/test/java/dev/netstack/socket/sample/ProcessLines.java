package dev.netstack.socket.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The output of a process, line by line, read on a thread of its own so that the process never blocks on a full
 * pipe and a test can wait for a line with a timeout.
 */
final class ProcessLines {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private final List<String> seen = new ArrayList<>();

    /**
     * Starts reading the output (stdout, and stderr when the process was started with them merged).
     * @param process the process
     * @param name a name for the reading thread
     */
    ProcessLines(Process process, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    this.lines.add(line);
                }
            }
            catch (IOException ex) {
                // The process ended.
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Waits for a line that matches, skipping the others.
     * @param condition what the line must satisfy
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError naming the lines seen, when none matched in time
     */
    String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = this.lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no matching line within " + timeout + "; output was " + this.seen);
            }
            this.seen.add(line);
            if (condition.test(line)) {
                return line;
            }
        }
    }

}
