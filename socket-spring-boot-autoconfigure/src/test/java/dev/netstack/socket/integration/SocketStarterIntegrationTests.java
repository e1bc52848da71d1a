package dev.netstack.socket.integration;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.event.SocketListeningEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.nio.NioSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a running web application: a Node.js peer sends datagrams to a socket the application made, an
 * {@code @EventListener} sees each one and answers it, and the Actuator endpoints over HTTP report exactly that
 * traffic.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "socket.io-threads=2", "socket.udp.extra-options.receive-buffer-size=64KB",
                "management.endpoints.web.exposure.include=health,metrics,sockets",
                "management.endpoint.health.show-details=always" })
@DirtiesContext
@Timeout(120)
class SocketStarterIntegrationTests {

    private static final Path PEER_SCRIPT = Path.of("src/test/node/spring-udp-peer.js");

    private static final int DATAGRAMS = 5;

    @LocalServerPort
    private int port;

    @Autowired
    private SocketFactory socketFactory;

    @Autowired
    private TrafficListener listener;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private UDPSocket socket;

    private Process peer;

    @AfterEach
    void close() throws Exception {
        if (this.peer != null) {
            this.peer.getOutputStream().close();
            if (!this.peer.waitFor(10, TimeUnit.SECONDS)) {
                this.peer.destroyForcibly();
            }
        }
        if (this.socket != null) {
            this.socket.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsMetricsHealthAndEndpointReportTheTrafficOfARealPeer() throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "Node.js (node) is not installed: the real-peer test needs it");
        this.socket = this.socketFactory.constructUDPSocketInstance();
        this.socket.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        NetAddress local = this.socket.getLocalAddress().get();
        long id = ((NioSocket) this.socket).id();
        SocketListeningEvent listening = this.listener.listening.poll(10, TimeUnit.SECONDS);
        assertThat(listening).isNotNull();
        assertThat(listening.getSocketId()).isEqualTo(id);
        assertThat(listening.getLocalAddress()).isEqualTo(local);

        BlockingQueue<String> peerOutput = startPeer(local.port());
        int peerPort = JsonPath.parse(peerOutput.poll(30, TimeUnit.SECONDS)).read("$.port", Integer.class);

        List<SocketMessageEvent> messages = new ArrayList<>();
        for (int i = 1; i <= DATAGRAMS; i++) {
            SocketMessageEvent event = this.listener.messages.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("message event %d", i).isNotNull();
            messages.add(event);
        }
        assertThat(messages).extracting((event) -> event.getMessage().text())
            .containsExactly("datagram-1", "datagram-2", "datagram-3", "datagram-4", "datagram-5");
        assertThat(messages).allSatisfy((event) -> {
            assertThat(event.getProtocol()).isEqualTo("udp");
            assertThat(event.getSocketId()).isEqualTo(id);
            assertThat(event.getSocket()).isSameAs(this.socket);
            assertThat(event.getRemoteAddress()).isEqualTo(new NetAddress("127.0.0.1", peerPort));
            assertThat(event.getMessage().remoteInfo().size()).isEqualTo(10);
        });
        List<String> peerReceived = new ArrayList<>();
        while (peerReceived.size() < DATAGRAMS) {
            String line = peerOutput.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("peer output after %s", peerReceived).isNotNull();
            DocumentContext json = JsonPath.parse(line);
            if (json.read("$", Map.class).containsKey("received")) {
                assertThat(json.read("$.port", Integer.class)).isEqualTo(local.port());
                peerReceived.add(json.read("$.received"));
            }
        }
        assertThat(peerReceived).containsExactly("ack-datagram-1", "ack-datagram-2", "ack-datagram-3",
                "ack-datagram-4", "ack-datagram-5");

        // 5 datagrams of 10 bytes in, 5 answers of 14 bytes out.
        assertMetric("socket.bytes.received", "protocol:udp", 50);
        assertMetric("socket.messages.received", "protocol:udp", 5);
        assertMetric("socket.bytes.sent", "protocol:udp", 70);
        assertMetric("socket.messages.sent", "protocol:udp", 5);
        assertMetric("socket.bytes.received", "protocol:tcp", 0);
        assertMetric("socket.active", "protocol:udp", 1);
        assertMetric("socket.events.dropped", null, 0);
        assertThat(get("/actuator/metrics/socket.bytes.received").read("$.baseUnit", String.class)).isEqualTo("bytes");

        DocumentContext health = get("/actuator/health/socket");
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.details.ioThreads", Integer.class)).isEqualTo(2);
        assertThat(health.read("$.details.active.udp", Integer.class)).isEqualTo(1);
        assertThat(health.read("$.details.pendingBytes.udp", Integer.class)).isZero();

        String socketsJson = getBody("/actuator/sockets", 200);
        assertThat(socketsJson).doesNotContain("datagram-");
        DocumentContext sockets = JsonPath.parse(socketsJson);
        assertThat(sockets.read("$.sockets.length()", Integer.class)).isEqualTo(1);
        assertThat(sockets.read("$.sockets[0].id", Long.class)).isEqualTo(id);
        assertThat(sockets.read("$.sockets[0].protocol", String.class)).isEqualTo("udp");
        assertThat(sockets.read("$.sockets[0].localAddress.address", String.class)).isEqualTo("127.0.0.1");
        assertThat(sockets.read("$.sockets[0].localAddress.port", Integer.class)).isEqualTo(local.port());
        assertThat(sockets.read("$.sockets[0].bytesReceived", Integer.class)).isEqualTo(50);
        assertThat(sockets.read("$.sockets[0].bytesSent", Integer.class)).isEqualTo(70);
        assertThat(sockets.read("$.sockets[0].pendingBytes", Integer.class)).isZero();
        assertThat(sockets.read("$.sockets[0].state.isBound", Boolean.class)).isTrue();
        assertThat(sockets.read("$.sockets[0].state.isClose", Boolean.class)).isFalse();
        assertThat(sockets.read("$.sockets[0].openedAt", String.class)).isNotBlank();
        assertThat(sockets.read("$.sockets[0].options.receiveBufferSize", Integer.class)).isGreaterThanOrEqualTo(65536);
        assertThat(getBody("/actuator/sockets/" + id, 200)).contains("\"bytesReceived\":50");
        getBody("/actuator/sockets/" + (id + 1000), 404);
    }

    private BlockingQueue<String> startPeer(int targetPort) throws Exception {
        assertThat(PEER_SCRIPT).exists();
        this.peer = new ProcessBuilder("node", PEER_SCRIPT.toString(), Integer.toString(targetPort),
                Integer.toString(DATAGRAMS))
            .redirectErrorStream(true)
            .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process process = this.peer;
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (Exception ex) {
                // The peer ended.
            }
        }, "node-peer-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Reads a meter over HTTP; waits a little, as the peer may see an answer an instant before it is counted. */
    private void assertMetric(String name, String tag, double expected) {
        String path = "/actuator/metrics/" + name + ((tag != null) ? "?tag=" + tag : "");
        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertThat(get(path).read("$.measurements[0].value", Double.class)).as(path)
                .isEqualTo(expected));
    }

    private DocumentContext get(String path) throws Exception {
        return JsonPath.parse(getBody(path, 200));
    }

    private String getBody(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(expectedStatus);
        return response.body();
    }

    private static boolean nodeAvailable() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (Exception ex) {
            return false;
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(TrafficListener.class)
    static class WebApplication {

    }

    /**
     * What an application writes: listeners of socket events, one of which answers every datagram.
     */
    @Component
    static class TrafficListener {

        final BlockingQueue<SocketListeningEvent> listening = new LinkedBlockingQueue<>();

        final BlockingQueue<SocketMessageEvent> messages = new LinkedBlockingQueue<>();

        @EventListener
        void onListening(SocketListeningEvent event) {
            this.listening.add(event);
        }

        @EventListener
        void onMessage(SocketMessageEvent event) {
            this.messages.add(event);
            ((UDPSocket) event.getSocket()).send(new UDPSendOptions("ack-" + event.getMessage().text(),
                    event.getRemoteAddress()));
        }

    }

}
