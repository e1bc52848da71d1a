package dev.netstack.socket.server;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with clients this project did not write: Node.js {@code net}, {@code socat} and
 * {@code redis-benchmark}. Each test is skipped, saying why, where its program is not installed ({@code .ci/run}
 * installs them).
 */
@Timeout(60)
class TcpServerForeignClientTests {

    private static final String NODE_CLIENT = "src/test/node/tcp-client.js";

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(2).threadNamePrefix("socket-io-TcpServerForeignClientTests-").build());

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    /**
     * Fifty Node clients at once, each writing 256 KiB in chunks of random size and then its FIN: each gets exactly
     * its own bytes back before the server's FIN, and the server received what the client says it sent.
     */
    @Test
    void nodeClientsGetExactlyTheirOwnBytesBack() throws Exception {
        assumeInstalled("node", "Node.js", "nodejs", "--version");
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        Map<Integer, String> receivedDigests = new ConcurrentHashMap<>();
        server.on(TCPSocketServer.CONNECT, connection -> {
            MessageDigest digest = sha256();
            int peerPort = ((NioSocket) connection).remoteAddress().port();
            connection.on(SocketEventType.MESSAGE, message -> {
                digest.update(message.bytes());
                connection.send(new TCPSendOptions(message.bytes()));
            });
            connection.on(SocketEventType.CLOSE,
                    nothing -> receivedDigests.put(peerPort, HexFormat.of().formatHex(digest.digest())));
        });
        NetAddress address = ServerPeers.listen(server);
        List<String> lines = run("node", NODE_CLIENT, Integer.toString(address.port()), "echo", "50", "262144");
        assertThat(lines).as("node's report").contains("done ok=50 failed=0");
        List<String> verified = lines.stream().filter(line -> line.startsWith("verified ")).toList();
        assertThat(verified).hasSize(50);
        for (String line : verified) {
            Map<String, String> fields = fields(line);
            assertThat(fields).containsEntry("bytes", "262144");
            int port = Integer.parseInt(fields.get("localPort"));
            assertThat(receivedDigests.get(port)).as("what the server read from port %d", port)
                .isEqualTo(fields.get("sha256"));
        }
    }

    @Test
    void aResetFromNodeIsAnErrorThenACloseOnEachConnection() throws Exception {
        assumeInstalled("node", "Node.js", "nodejs", "--version");
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        List<EventLog> logs = new ArrayList<>();
        server.on(TCPSocketServer.CONNECT, connection -> {
            synchronized (logs) {
                logs.add(ServerPeers.log(connection));
            }
            ServerPeers.echo(connection);
        });
        NetAddress address = ServerPeers.listen(server);
        List<String> lines = run("node", NODE_CLIENT, Integer.toString(address.port()), "reset", "5", "1000");
        assertThat(lines).contains("done ok=5 failed=0");
        assertThat(logs).hasSize(5);
        for (EventLog log : logs) {
            assertThat(log.nextNonMessage()).isEqualTo("error:2301104");
            assertThat(log.nextNonMessage()).isEqualTo("close");
        }
    }

    /** socat sends 1 MiB, then its FIN; the echo comes back whole, then the server's FIN ends socat. */
    @Test
    void socatGetsItsMebibyteEchoedWhole() throws Exception {
        assumeInstalled("socat", "socat", "socat", "-V");
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        byte[] payload = new byte[1024 * 1024];
        new SplittableRandom(7).nextBytes(payload);
        // -t: after its input ends, socat waits this long for the rest of the echo (it ends sooner at the FIN).
        Process socat = new ProcessBuilder("socat", "-t", "30", "-", "TCP:127.0.0.1:" + address.port())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        Thread writer = new Thread(() -> {
            try (OutputStream in = socat.getOutputStream()) {
                in.write(payload);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, "socat-writer");
        writer.start();
        byte[] echoed = socat.getInputStream().readAllBytes();
        writer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
        assertThat(socat.waitFor(Await.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(socat.exitValue()).isZero();
        assertThat(echoed).isEqualTo(payload);
    }

    /** The server greets with 256 KiB and closes at once: socat, only reading, gets every byte and then the end. */
    @Test
    void socatReadsEveryByteASendThenCloseDelivers() throws Exception {
        assumeInstalled("socat", "socat", "socat", "-V");
        byte[] greeting = new byte[256 * 1024];
        new SplittableRandom(8).nextBytes(greeting);
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, connection -> {
            connection.send(new TCPSendOptions(greeting));
            connection.close();
        });
        NetAddress address = ServerPeers.listen(server);
        Process socat = new ProcessBuilder("socat", "-u", "TCP:127.0.0.1:" + address.port(), "STDOUT")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        byte[] received = socat.getInputStream().readAllBytes();
        assertThat(socat.waitFor(Await.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(socat.exitValue()).isZero();
        assertThat(received).isEqualTo(greeting);
    }

    /**
     * redis-benchmark, a load tool with its own protocol parser, against a server on the engine that speaks just
     * enough RESP: 10,000 inline PINGs over its 50 connections, each answered +PONG, none lost.
     */
    @Test
    void redisBenchmarkGetsAPongForEachOfItsTenThousandPings() throws Exception {
        assumeInstalled("redis-benchmark", "redis-benchmark", "redis-server or redis-tools", "--version");
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        AtomicInteger pings = new AtomicInteger();
        server.on(TCPSocketServer.CONNECT, connection -> RespResponder.serve(connection, pings));
        NetAddress address = ServerPeers.listen(server);
        List<String> lines = run("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(address.port()), "-t",
                "ping_inline", "-n", "10000", "-c", "50", "-q");
        assertThat(String.join("\n", lines)).contains("PING_INLINE").contains("requests per second");
        assertThat(pings).hasValue(10_000);
    }

    private static void assumeInstalled(String program, String what, String packageName, String probe) {
        Assumptions.assumeTrue(ServerPeers.installed(program, probe), "skipped: '" + program + "' (" + what
                + ") is not on PATH; install it (e.g. apt-get install " + packageName + ", as .ci/run does)");
    }

    /** Runs a program to its end and returns its output lines; fails if it exits with another status than 0. */
    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Await.SECONDS, TimeUnit.SECONDS)).as("%s ended", command[0]).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; output:%n%s", command[0], output).isZero();
        // redis-benchmark redraws its progress line with carriage returns.
        return List.of(output.split("[\r\n]+"));
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Just enough of the Redis protocol for redis-benchmark: commands as RESP arrays or inline lines, PING answered
     * +PONG, CONFIG GET answered with an empty value, anything else an error. One per connection, on its loop.
     */
    private static final class RespResponder {

        private final StringBuilder pending = new StringBuilder();

        private final TCPSocketConnection connection;

        private final AtomicInteger pings;

        private RespResponder(TCPSocketConnection connection, AtomicInteger pings) {
            this.connection = connection;
            this.pings = pings;
        }

        static void serve(TCPSocketConnection connection, AtomicInteger pings) {
            RespResponder responder = new RespResponder(connection, pings);
            connection.on(SocketEventType.MESSAGE, message -> responder.received(message.text(StandardCharsets.ISO_8859_1)));
        }

        private void received(String text) {
            this.pending.append(text);
            StringBuilder replies = new StringBuilder();
            List<String> command;
            while ((command = nextCommand()) != null) {
                replies.append(reply(command));
            }
            if (replies.length() > 0) {
                this.connection.send(new TCPSendOptions(replies.toString(), "ISO-8859-1"));
            }
        }

        private String reply(List<String> command) {
            String name = command.isEmpty() ? "" : command.get(0).toUpperCase();
            if (name.equals("PING")) {
                this.pings.incrementAndGet();
                return "+PONG\r\n";
            }
            if (name.equals("CONFIG") && command.size() == 3) {
                String key = command.get(2);
                return "*2\r\n$" + key.length() + "\r\n" + key + "\r\n$0\r\n\r\n";
            }
            return "-ERR unknown command '" + name + "'\r\n";
        }

        /** Takes one whole command off the pending text, or returns {@code null} when none is complete. */
        private List<String> nextCommand() {
            int lineEnd = this.pending.indexOf("\r\n");
            if (lineEnd < 0) {
                return null;
            }
            if (this.pending.charAt(0) != '*') {
                String line = this.pending.substring(0, lineEnd).trim();
                this.pending.delete(0, lineEnd + 2);
                return line.isEmpty() ? List.of() : List.of(line.split(" +"));
            }
            int count = Integer.parseInt(this.pending.substring(1, lineEnd));
            List<String> arguments = new ArrayList<>(count);
            int position = lineEnd + 2;
            for (int i = 0; i < count; i++) {
                int end = this.pending.indexOf("\r\n", position);
                if (end < 0) {
                    return null;
                }
                int length = Integer.parseInt(this.pending.substring(position + 1, end));
                if (end + 2 + length + 2 > this.pending.length()) {
                    return null;
                }
                arguments.add(this.pending.substring(end + 2, end + 2 + length));
                position = end + 2 + length + 2;
            }
            this.pending.delete(0, position);
            return arguments;
        }

    }

}
