package dev.netstack.socket.hygiene;

import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.actuate.SocketsEndpoint.SocketDescriptor;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.faults.LogRecords;
import dev.netstack.socket.load.NioEchoServer;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payload bytes never reach a log line, a description or the {@code sockets} endpoint: not as text, hex or Base64,
 * not even with every engine logger at its finest level and listeners that fail. (Over HTTP,
 * {@code SocketStarterIntegrationTests} checks the endpoint's JSON too.)
 */
@Timeout(30)
@ExtendWith(OutputCaptureExtension.class)
class PayloadPrivacyTests {

    private static final String SECRET = "S3CR3T-PAYLOAD-7f3a";

    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = this.resources.size() - 1; i >= 0; i--) {
            this.resources.get(i).close();
        }
    }

    @Test
    void descriptionsOfMessagesOptionsAndEventsCarrySizesButNoPayload() {
        SocketMessageInfo message = new SocketMessageInfo(SECRET_BYTES.clone(),
                new SocketRemoteInfo("127.0.0.1", "IPv4", 9, SECRET_BYTES.length));
        assertNoPayload(message.toString());
        assertThat(message.toString()).contains("size=" + SECRET_BYTES.length);
        NetAddress to = new NetAddress("127.0.0.1", 9);
        for (Object data : List.of(SECRET, SECRET_BYTES, ByteBuffer.wrap(SECRET_BYTES))) {
            assertNoPayload(new UDPSendOptions(data, to).toString());
            assertNoPayload(new TCPSendOptions(data, "UTF-8").toString());
        }
        assertThat(new UDPSendOptions(SECRET, to).toString()).contains("String(" + SECRET.length() + " chars)");
        assertThat(new TCPSendOptions(SECRET_BYTES).toString()).contains("byte[" + SECRET_BYTES.length + "]");
    }

    @Test
    void theEngineLogsNoPayloadAtAnyLevelAndTheEndpointShowsNone() throws Exception {
        Logger engine = Logger.getLogger("dev.netstack.socket");
        Level level = engine.getLevel();
        engine.setLevel(Level.ALL);
        try (LogRecords log = LogRecords.of("dev.netstack.socket")) {
            NioSocketFactory factory = NioSocketFactory.create(
                    SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-PayloadPrivacyTests-").build());
            this.resources.add(factory);
            NioEchoServer echo = new NioEchoServer(16);
            this.resources.add(echo);

            UDPSocket udp = factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            udp.on(SocketEventType.MESSAGE, message -> {
                received.add(message.text());
                // A failing callback: its exception is logged with the socket and the event, not the message.
                throw new IllegalStateException("a failing callback");
            });
            udp.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
            udp.send(new UDPSendOptions(SECRET, udp.getLocalAddress().get())).get(5, TimeUnit.SECONDS);
            TCPSocket tcp = factory.constructTCPSocketInstance();
            tcp.on(SocketEventType.MESSAGE, message -> received.add(message.text()));
            tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", echo.port()))).get(5, TimeUnit.SECONDS);
            tcp.send(new TCPSendOptions(SECRET_BYTES)).get(5, TimeUnit.SECONDS);
            assertThat(List.of(received.poll(5, TimeUnit.SECONDS), received.poll(5, TimeUnit.SECONDS)))
                .containsExactly(SECRET, SECRET);

            SocketsEndpoint endpoint = new SocketsEndpoint(factory);
            List<SocketDescriptor> sockets = endpoint.sockets().sockets();
            assertThat(sockets).hasSize(2);
            assertNoPayload(sockets.toString());
            assertNoPayload(endpoint.socket(((NioSocket) tcp).id()).toString());
            assertThat(payloadCarryingComponents(SocketDescriptor.class)).isEmpty();

            tcp.close().get(5, TimeUnit.SECONDS);
            udp.close().get(5, TimeUnit.SECONDS);
            List<LogRecord> records = log.records();
            assertThat(records).as("the engine logged at INFO and below").isNotEmpty();
            assertThat(records).anyMatch(record -> record.getLevel() == Level.WARNING);
            for (LogRecord record : records) {
                assertNoPayload(record.getMessage());
                if (record.getThrown() != null) {
                    assertNoPayload(String.valueOf(record.getThrown()));
                }
            }
        }
        finally {
            engine.setLevel(level);
        }
    }

    @Test
    void theEventPublisherLogsNoPayloadWhenAListenerFails(CapturedOutput output) throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        SocketEventPublisher publisher = new SocketEventPublisher(event -> {
            if (event instanceof SocketMessageEvent message) {
                failed.countDown();
                throw new IllegalStateException("a failing listener of a " + message.getMessage().size()
                        + " byte message");
            }
        }, Duration.ofSeconds(5));
        publisher.start();
        this.resources.add(publisher::stop);
        NioSocketFactory factory = NioSocketFactory
            .create(SocketSettings.builder().ioThreads(1).observer(publisher).build());
        this.resources.add(factory);
        UDPSocket udp = factory.constructUDPSocketInstance();
        udp.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        udp.send(new UDPSendOptions(SECRET_BYTES, udp.getLocalAddress().get())).get(5, TimeUnit.SECONDS);
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.listenerFailures() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("threw; delivery goes on"));
        assertThat(output.getAll()).contains("size=" + SECRET_BYTES.length);
        assertNoPayload(output.getAll());
    }

    /** Components of a record that could hold payload bytes. */
    private static List<String> payloadCarryingComponents(Class<? extends Record> type) {
        List<String> found = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> componentType = component.getType();
            if (componentType == byte[].class || ByteBuffer.class.isAssignableFrom(componentType)
                    || componentType == SocketMessageInfo.class) {
                found.add(component.getName());
            }
        }
        return found;
    }

    private static void assertNoPayload(String text) {
        assertThat(text).doesNotContain(SECRET)
            .doesNotContainIgnoringCase(HexFormat.of().formatHex(SECRET_BYTES))
            .doesNotContain(Base64.getEncoder().encodeToString(SECRET_BYTES))
            .doesNotContain(java.util.Arrays.toString(SECRET_BYTES));
    }

}
