package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.NodePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The factory's {@link TLSSocket} and {@link TLSSocketServer} on the event loop against Node.js {@code tls}
 * ({@code src/test/node/tls-peer.js}): both directions, TLS 1.2 and 1.3, with and without client certificates.
 */
@Timeout(60)
class NodeTlsSocketTests {

    private static final Path SCRIPT = Path.of("src/test/node/tls-peer.js");

    private static final TestPki pki = TestPki.get();

    @TempDir
    static Path dir;

    private static PeerFiles files;

    private final NioSocketFactory factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());

    @BeforeAll
    static void writeCertificates() throws IOException {
        files = PeerFiles.write(dir);
    }

    @AfterEach
    void close() {
        this.factory.close();
    }

    private static NodePeer.Event await(NodePeer peer, String name) throws InterruptedException {
        return peer.await(event -> event.name().equals(name), Await.SECONDS, name);
    }

    @ParameterizedTest(name = "{0}, client certificate {1}")
    @CsvSource({ "TLSv12, false", "TLSv12, true", "TLSv13, false", "TLSv13, true" })
    void ourTlsSocketTalksToNodeServer(TLSProtocol protocol, boolean clientCertificate) throws Exception {
        try (NodePeer peer = NodePeer.start(SCRIPT, true, "server", NodeTlsPeerTests.json("cert", files.serverCert(),
                "key", files.serverKey(), "ca", files.caFile(), "requestCert", clientCertificate, "minVersion",
                protocol.protocolName(), "maxVersion", protocol.protocolName()))) {
            TLSSecureOptions options = clientCertificate ? pki.client.options() : new TLSSecureOptions();
            options.setCa(pki.caList());
            options.setProtocols(List.of(protocol));
            TLSSocket socket = this.factory.constructTLSSocketInstance();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            StringBuilder received = new StringBuilder();
            socket.on(SocketEventType.MESSAGE, (message) -> {
                received.append(message.text());
                if (received.toString().equals("hello node")) {
                    echoed.complete(received.toString());
                }
            });
            Await.result(socket.connect(new TLSConnectOptions(new NetAddress("127.0.0.1", peer.port()), options)));
            Await.result(socket.send("hello node"));

            assertThat(Await.result(echoed)).isEqualTo("hello node");
            assertThat(Await.result(socket.getProtocol())).isEqualTo(protocol.protocolName());
            NodePeer.Event secure = await(peer, "secure");
            assertThat(secure.get("protocol")).isEqualTo(protocol.protocolName());
            assertThat(List.of(secure.get("cipher"))).isEqualTo(Await.result(socket.getCipherSuite()));
            assertThat(secure.get("peer")).isEqualTo(clientCertificate ? "test_client" : "none");
            Await.result(socket.close());
            assertThat(await(peer, "end")).as("node saw our close_notify and FIN").isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}, client certificate {1}")
    @CsvSource({ "TLSv12, false", "TLSv12, true", "TLSv13, false", "TLSv13, true" })
    void nodeClientTalksToOurTlsServer(TLSProtocol protocol, boolean clientCertificate) throws Exception {
        TLSSocketServer server = this.factory.constructTLSSocketServerInstance();
        CompletableFuture<TLSSocketConnection> accepted = new CompletableFuture<>();
        server.on(TLSSocketServer.CONNECT, (connection) -> {
            connection.on(SocketEventType.MESSAGE, (message) -> connection.send("pong " + message.text()));
            accepted.complete(connection);
        });
        TLSSecureOptions options = MemoryPair.serverOptions(protocol);
        options.setIsBidirectionalAuthentication(clientCertificate);
        Await.result(server.listen(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options)));
        int port = Await.result(server.getLocalAddress()).port();
        Object[] json = clientCertificate
                ? new Object[] { "port", port, "ca", files.caFile(), "cert", files.clientCert(), "key",
                        files.clientKey(), "minVersion", protocol.protocolName(), "maxVersion",
                        protocol.protocolName(), "send", "ping" }
                : new Object[] { "port", port, "ca", files.caFile(), "minVersion", protocol.protocolName(),
                        "maxVersion", protocol.protocolName(), "send", "ping" };
        try (NodePeer peer = NodePeer.start(SCRIPT, false, "client", NodeTlsPeerTests.json(json))) {
            NodePeer.Event secure = await(peer, "secure");
            assertThat(secure.get("authorized")).as("node verified our certificate for 127.0.0.1").isEqualTo("true");
            assertThat(secure.get("protocol")).isEqualTo(protocol.protocolName());
            assertThat(await(peer, "data").get("hex"))
                .isEqualTo(HexFormat.of().formatHex("pong ping".getBytes(StandardCharsets.UTF_8)));
            TLSSocketConnection connection = Await.result(accepted);
            if (clientCertificate) {
                assertThat(Await.result(connection.getRemoteCertificate()).data()).isEqualTo(pki.client.der());
            }
            Await.result(connection.close());
            assertThat(await(peer, "end")).as("node saw our close_notify").isNotNull();
        }
        finally {
            server.close();
        }
    }

}
