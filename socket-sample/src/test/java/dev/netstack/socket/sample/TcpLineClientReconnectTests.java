package dev.netstack.socket.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.netstack.socket.event.SocketCloseEvent;
import dev.netstack.socket.event.SocketConnectEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TCP client against a peer that is absent at first, then comes, then goes away: it keeps trying with its
 * back-off, connects when it can, and connects again after the peer closed the connection. The peer is a plain JDK
 * server socket that the test opens and closes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
        properties = { "sample.udp.port=0", SocketSampleApplicationTests.OWN_LOCAL_PATH, "socket.servers.lines.port=0",
                "socket.servers.secure-lines.port=0", "sample.tcp.interval=1h",
                "sample.tcp.reconnect.initial-delay=20ms", "sample.tcp.reconnect.max-delay=100ms" })
@Import(RecordedEvents.class)
@DirtiesContext
@Timeout(60)
class TcpLineClientReconnectTests {

    /** A port that nothing listens on until the test opens it: the peer is absent when the application starts. */
    private static final int PEER_PORT = freePort();

    @Autowired
    private MeterRegistry meterRegistry;

    @Autowired
    private RecordedEvents events;

    @Autowired
    private ConfigurableApplicationContext context;

    @DynamicPropertySource
    static void peer(DynamicPropertyRegistry registry) {
        registry.add("sample.tcp.peer.port", () -> PEER_PORT);
    }

    @Test
    void clientRetriesAnAbsentPeerThenReconnectsWhenThePeerGoesAway() throws Exception {
        // Absent: refused connects, at least two, so the client tried again after the first failure.
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> this.meterRegistry.get("socket.connect").tags("protocol", "tcp", "outcome", "failure").timer().count() >= 2);
        assertThat(this.meterRegistry.get("socket.errors").tags("protocol", "tcp", "code", "2301111")
            .functionCounter().count()).isGreaterThanOrEqualTo(2);

        try (ServerSocket peer = new ServerSocket()) {
            peer.bind(new InetSocketAddress("127.0.0.1", PEER_PORT));
            peer.setSoTimeout(20_000);
            // Comes: the next attempt connects and sends its first line.
            int firstClientPort;
            try (Socket first = peer.accept()) {
                firstClientPort = first.getPort();
                assertThat(readLine(first)).matches("ping \\d+");
                SocketConnectEvent connect = this.events.awaitEvent(SocketConnectEvent.class,
                        (event) -> event.getLocalAddress().port() == firstClientPort);
                assertThat(connect.getRemoteAddress().port()).isEqualTo(PEER_PORT);
            }
            // Goes away (closed above): the client sees its connection close, and connects again.
            SocketCloseEvent closed = this.events.awaitEvent(SocketCloseEvent.class,
                    (event) -> event.getLocalAddress() != null && event.getLocalAddress().port() == firstClientPort);
            assertThat(closed.getRemoteAddress().port()).isEqualTo(PEER_PORT);
            try (Socket second = peer.accept()) {
                assertThat(second.getPort()).isNotEqualTo(firstClientPort);
                assertThat(readLine(second)).matches("ping \\d+");
            }
        }
        assertThat(this.meterRegistry.get("socket.connect").tags("protocol", "tcp", "outcome", "success").timer().count())
            .isGreaterThanOrEqualTo(2);
        assertThat(this.context.isActive()).isTrue();
    }

    private static String readLine(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return probe.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
