package dev.netstack.socket.tcp;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Framed streams from peers this project did not write (Node.js, socat serving a file), and 10,000 frames echoed
 * under load: every frame arrives whole, once, in order, byte for byte.
 */
@Timeout(60)
class TcpFramingPeerTests {

    private static final Pattern SOCAT_LISTENING = Pattern.compile(".*listening on (?:AF=2 )?127\\.0\\.0\\.1:(\\d+).*");

    private NioSocketFactory factory;

    @BeforeEach
    void startFactory() {
        this.factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build());
    }

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    static Stream<Arguments> nodeKinds() {
        return Stream.of(
                Arguments.of("lines", Framing.lines(100), (IntFunction<byte[]>) i -> ("line " + i + " "
                        + "x".repeat(i % 37)).getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("u32be", Framing.lengthField(4, 600), (IntFunction<byte[]>) TcpFramingPeerTests::body),
                Arguments.of("u16le-incl", Framing.lengthField(2, ByteOrder.LITTLE_ENDIAN, true, 0, 600),
                        (IntFunction<byte[]>) TcpFramingPeerTests::body));
    }

    /** Frame i of the Node peer's binary kinds: (i * 13) % 600 bytes of (i * 31 + j) & 0xff. */
    private static byte[] body(int i) {
        byte[] body = new byte[(i * 13) % 600];
        for (int j = 0; j < body.length; j++) {
            body[j] = (byte) (i * 31 + j);
        }
        return body;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeKinds")
    void framesThatNodeWritesInPiecesOfEverySizeArriveWhole(String kind, Framing framing, IntFunction<byte[]> frame)
            throws Exception {
        int count = 2000;
        try (NodePeer node = NodePeer.start("frames", kind, Integer.toString(count))) {
            List<byte[]> received = receiveUntilClosed(framing, node.address());
            NodePeer.Event sent = node.await(event -> event.name().equals("sent"), Await.SECONDS, "sent");
            assertThat(sent.number("frames")).isEqualTo(count);
            assertFrames(received, count, frame);
        }
    }

    @Test
    void linesOfAFileThatSocatServesArriveWhole(@TempDir Path directory) throws Exception {
        Assumptions.assumeTrue(Commands.available("socat", "-V"),
                "skipped: socat is not installed (.ci/run installs it; e.g. apt-get install socat)");
        int count = 3000;
        IntFunction<byte[]> line = i -> ((i % 100 == 0) ? "" : "socat line " + i + " " + "y".repeat(i % 50))
            .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            file.writeBytes(line.apply(i));
            file.writeBytes((i % 3 == 0) ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        Path path = Files.write(directory.resolve("lines.txt"), file.toByteArray());
        Process socat = new ProcessBuilder("socat", "-d", "-d", "-u", "OPEN:" + path + ",rdonly",
                "TCP-LISTEN:0,bind=127.0.0.1").start();
        try {
            int port = socatPort(socat);
            List<byte[]> received = receiveUntilClosed(Framing.lines(100), new NetAddress("127.0.0.1", port));
            assertFrames(received, count, line);
            assertThat(socat.waitFor(Await.SECONDS, TimeUnit.SECONDS)).as("socat ends after the file").isTrue();
        }
        finally {
            socat.destroyForcibly();
        }
    }

    static Stream<Arguments> loads() {
        return Stream.of(
                Arguments.of("lines", Framing.lines(400)),
                Arguments.of("4-byte little-endian length field counting itself",
                        Framing.lengthField(4, ByteOrder.LITTLE_ENDIAN, true, 0, 3000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loads")
    void tenThousandFramesSentAtOnceComeBackFromAnEchoByteExact(String name, Framing framing) throws Exception {
        int count = 10_000;
        Random random = new Random(20261201L);
        List<byte[]> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (name.equals("lines")) {
                byte[] text = new byte[random.nextInt(400)];
                for (int j = 0; j < text.length; j++) {
                    text[j] = (byte) (' ' + random.nextInt(95));
                }
                sent.add(text);
            }
            else {
                byte[] bytes = new byte[random.nextInt(3000)];
                random.nextBytes(bytes);
                sent.add(bytes);
            }
        }
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            socket.setFraming(framing);
            List<byte[]> received = Collections.synchronizedList(new ArrayList<>(count));
            CountDownLatch all = new CountDownLatch(count);
            AtomicInteger wrongSizes = new AtomicInteger();
            socket.on(SocketEventType.MESSAGE, message -> {
                if (message.remoteInfo().size() != message.size()) {
                    wrongSizes.incrementAndGet();
                }
                received.add(message.bytes());
                all.countDown();
            });
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Thread echo = echo(server.accept());
            List<CompletableFuture<Void>> sends = new ArrayList<>(count);
            for (byte[] frame : sent) {
                sends.add(socket.send(new TCPSendOptions(framing.encode(frame))));
            }
            Await.result(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
            assertThat(all.await(Await.SECONDS * 3, TimeUnit.SECONDS)).as("%d frames echoed (got %d)", count,
                    received.size()).isTrue();
            assertFrames(received, count, sent::get);
            assertThat(wrongSizes).as("messages whose remoteInfo.size is not their size").hasValue(0);
            Await.result(socket.close());
            echo.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
        }
    }

    /** Copies what the socket reads back to it, in reads of every size up to 8 KiB, until it ends. */
    private static Thread echo(Socket peer) {
        Thread echo = new Thread(() -> {
            Random sizes = new Random(7);
            byte[] buffer = new byte[8192];
            try (peer) {
                InputStream in = peer.getInputStream();
                OutputStream out = peer.getOutputStream();
                int read;
                while ((read = in.read(buffer, 0, 1 + sizes.nextInt(buffer.length))) > 0) {
                    out.write(buffer, 0, read);
                }
            }
            catch (IOException ex) {
                // The test ended the connection.
            }
        }, "framing-echo");
        echo.setDaemon(true);
        echo.start();
        return echo;
    }

    /** Connects with the framing, and collects every frame until the peer ends the connection. */
    private List<byte[]> receiveUntilClosed(Framing framing, NetAddress peer) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(framing);
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.MESSAGE, message -> received.add(message.bytes()));
        socket.on(SocketEventType.ERROR, error -> ended.add("error " + error));
        socket.on(SocketEventType.CLOSE, nothing -> ended.add("close"));
        Await.result(socket.connect(new TCPConnectOptions(peer)));
        assertThat(ended.poll(Await.SECONDS * 3, TimeUnit.SECONDS)).as("the peer ends the connection")
            .isEqualTo("close");
        return received;
    }

    private static void assertFrames(List<byte[]> received, int count, IntFunction<byte[]> expected) {
        assertThat(received).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(received.get(i)).as("frame %d", i).isEqualTo(expected.apply(i));
        }
    }

    /** Reads socat's log until it says where it listens. */
    private static int socatPort(Process socat) throws Exception {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader log = new BufferedReader(
                    new InputStreamReader(socat.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = log.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (IOException ex) {
                // socat ended.
            }
        }, "socat-log");
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("socat says where it listens (log so far: %s)", seen).isNotNull();
            Matcher listening = SOCAT_LISTENING.matcher(line);
            if (listening.matches()) {
                return Integer.parseInt(listening.group(1));
            }
            seen.add(line);
        }
    }

}
