package dev.netstack.socket.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link SocketOnlyApplication} in its own JVM: it keeps running after {@code main} returns, serves its socket,
 * and the JVM ends by itself once the context closes, so no thread of the starter outlives it.
 */
@Timeout(120)
class SocketOnlyApplicationTests {

    @Test
    void applicationWhoseOnlyWorkIsASocketRunsUntilItsContextCloses() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SocketOnlyApplication.class.getName())
            .redirectErrorStream(true)
            .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (Exception ex) {
                // The process ended.
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = Integer.parseInt(awaitLine(lines, "PORT ").substring(5));
            awaitLine(lines, "MAIN RETURNS");
            assertThat(process.isAlive()).isTrue();

            peer.setSoTimeout(10_000);
            send(peer, "ping", port);
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            peer.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("pong");
            assertThat(process.isAlive()).isTrue();

            send(peer, "stop", port);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM ends once the context is closed").isTrue();
            assertThat(process.exitValue()).isZero();
        }
        finally {
            process.destroyForcibly();
        }
    }

    private static void send(DatagramSocket peer, String text, int port) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), port));
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("no line starting with '" + prefix + "' in:\n" + seen);
    }

}
