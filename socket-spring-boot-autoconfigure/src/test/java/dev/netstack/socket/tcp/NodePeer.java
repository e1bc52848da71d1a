package dev.netstack.socket.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.netstack.socket.NetAddress;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code src/test/node/tcp-peer.js}, a TCP server on Node's own {@code net} module, and reads the events it
 * reports. Tests that need it are skipped, saying why, where {@code node} is not installed.
 */
public final class NodePeer implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src/test/node/tcp-peer.js");

    private final Process process;

    private final LinkedBlockingQueue<Event> incoming = new LinkedBlockingQueue<>();

    /** Events read from {@link #incoming} that did not match what a test waited for; later waits look here first. */
    private final List<Event> seen = new ArrayList<>();

    private final int port;

    /** One line of the peer's report: {@code end remotePort=R bytes=N sha256=HEX}. */
    public record Event(String name, Map<String, String> fields) {

        public String get(String field) {
            return this.fields.get(field);
        }

        public long number(String field) {
            return Long.parseLong(this.fields.get(field));
        }

        static Event parse(String line) {
            String[] parts = line.trim().split(" ");
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
            return new Event(parts[0], fields);
        }

    }

    private NodePeer(Process process) throws IOException, InterruptedException {
        this.process = process;
        Thread reader = new Thread(this::readEvents, "node-peer-reader");
        reader.setDaemon(true);
        reader.start();
        Event listening = this.incoming.poll(Await.SECONDS, TimeUnit.SECONDS);
        if (listening == null || !listening.name().equals("listening")) {
            process.destroyForcibly();
            throw new IllegalStateException("node peer did not start: " + listening);
        }
        this.port = Integer.parseInt(listening.get("port"));
    }

    /**
     * Starts the peer, or skips the calling test when {@code node} is missing.
     * @param args the mode and its argument, e.g. {@code "close-after", "10"}
     */
    public static NodePeer start(String... args) throws IOException, InterruptedException {
        Assumptions.assumeTrue(nodeAvailable(),
                "skipped: 'node' (Node.js) is not on PATH; install it (e.g. apt-get install nodejs) to run this test");
        List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new NodePeer(process);
    }

    static boolean nodeAvailable() {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing");
        }
        return runs("node", "--version");
    }

    /**
     * Tells whether a program is installed, by running a probe of it.
     * @param probe the command, e.g. {@code socat -V}
     * @return whether it ran and exited with 0
     */
    static boolean runs(String... probe) {
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(Await.SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void readEvents() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    this.incoming.add(Event.parse(line));
                }
            }
        }
        catch (IOException ex) {
            // The process ended.
        }
    }

    public int port() {
        return this.port;
    }

    public NetAddress address() {
        return new NetAddress("127.0.0.1", this.port);
    }

    /**
     * Waits for an event of a connection.
     * @param name the event name, e.g. {@code end}
     * @param remotePort the client's port, as the peer sees it
     */
    public Event await(String name, int remotePort) throws InterruptedException {
        return await(name, remotePort, Await.SECONDS);
    }

    public Event await(String name, int remotePort, long seconds) throws InterruptedException {
        String port = Integer.toString(remotePort);
        return await(event -> event.name().equals(name) && port.equals(event.get("remotePort")), seconds,
                name + " of the connection from port " + remotePort);
    }

    public Event await(Predicate<Event> wanted, long seconds, String what) throws InterruptedException {
        for (Event event : this.seen) {
            if (wanted.test(event)) {
                this.seen.remove(event);
                return event;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Event event = this.incoming.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("node peer reported %s within %d s (seen: %s)", what, seconds, this.seen).isNotNull();
            if (wanted.test(event)) {
                return event;
            }
            this.seen.add(event);
        }
    }

    /** Sends a command line to the peer, e.g. {@code resume}. */
    public void command(String line) throws IOException {
        OutputStream in = this.process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Kills the peer's process at once, as a crash would: the kernel closes its sockets, resetting those with unread
     * data.
     */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly();
        assertThat(this.process.waitFor(Await.SECONDS, TimeUnit.SECONDS)).as("node peer killed").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            // Closing stdin ends the script.
            this.process.getOutputStream().close();
        }
        catch (IOException ex) {
            // Already gone.
        }
        if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
            this.process.destroyForcibly();
            this.process.waitFor(5, TimeUnit.SECONDS);
        }
    }

}
