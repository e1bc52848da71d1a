package dev.netstack.socket.nio.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.netstack.socket.tcp.Commands;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openssl s_server} or {@code s_client} (Debian's {@code openssl}) as a peer, with the lines it prints.
 * Tests that need it are skipped, saying why, where {@code openssl} is not installed.
 */
public final class OpenSslPeer implements AutoCloseable {

    private static final long SECONDS = 15;

    private final Process process;

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private final List<String> errors = new ArrayList<>();

    private final List<String> seen = new ArrayList<>();

    private OpenSslPeer(List<String> command) throws IOException {
        this.process = new ProcessBuilder(command).start();
        reader(this.process.getInputStream(), this.lines::add, "openssl-stdout");
        // s_server reports connections on stderr: waits look at both streams.
        reader(this.process.getErrorStream(), line -> {
            synchronized (this.errors) {
                this.errors.add(line);
            }
            this.lines.add(line);
        }, "openssl-stderr");
    }

    /**
     * Starts {@code openssl s_server} on 127.0.0.1, port 0, for one connection; {@code -rev} answers each line
     * reversed. Returns once it accepts.
     */
    public static OpenSslPeer server(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept",
                "1", "-rev"));
        command.addAll(List.of(args));
        return new OpenSslPeer(checked(command));
    }

    /** Starts {@code openssl s_client} to 127.0.0.1:port; it sends its stdin and prints what it receives. */
    public static OpenSslPeer client(int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-quiet", "-no_ign_eof", "-verify_return_error"));
        command.addAll(List.of(args));
        return new OpenSslPeer(checked(command));
    }

    private static List<String> checked(List<String> command) {
        Assumptions.assumeTrue(Commands.available("openssl", "version"), "skipped: 'openssl' is not on PATH; install it (e.g. apt-get install "
                + "openssl, as .ci/run does) to run the OpenSSL peer tests");
        return command;
    }

    /** The port of a server, from its {@code ACCEPT 127.0.0.1:PORT} line. */
    public int acceptingPort() throws InterruptedException {
        String accept = awaitLine(line -> line.startsWith("ACCEPT "), "ACCEPT");
        return Integer.parseInt(accept.substring(accept.lastIndexOf(':') + 1));
    }

    /** Waits for a line of output or errors that matches; lines passed over are kept for later waits. */
    public String awaitLine(Predicate<String> wanted, String what) throws InterruptedException {
        for (String line : this.seen) {
            if (wanted.test(line)) {
                this.seen.remove(line);
                return line;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (true) {
            String line = this.lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("openssl printed %s within %d s (output: %s, errors: %s)", what, SECONDS, this.seen,
                    errors()).isNotNull();
            if (wanted.test(line)) {
                return line;
            }
            this.seen.add(line);
        }
    }

    public void writeLine(String line) throws IOException {
        OutputStream in = this.process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to end by itself. */
    public int exitCode() throws InterruptedException {
        assertThat(this.process.waitFor(SECONDS, TimeUnit.SECONDS)).as("openssl ended (errors: %s)", errors())
            .isTrue();
        return this.process.exitValue();
    }

    public List<String> errors() {
        synchronized (this.errors) {
            return List.copyOf(this.errors);
        }
    }

    private static void reader(InputStream stream, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            }
            catch (IOException ex) {
                // The process ended.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        this.process.destroy();
        if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
            this.process.destroyForcibly();
            this.process.waitFor(5, TimeUnit.SECONDS);
        }
    }

}
