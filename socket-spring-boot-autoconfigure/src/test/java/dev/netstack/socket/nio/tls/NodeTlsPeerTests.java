package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.NodePeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine wrapper against Node.js {@code tls} ({@code src/test/node/tls-peer.js}), over plain blocking channels on
 * loopback: TLS 1.2 and 1.3, with and without client certificates, in both directions.
 */
@Timeout(60)
class NodeTlsPeerTests {

    private static final Path SCRIPT = Path.of("src/test/node/tls-peer.js");

    private static final TestPki pki = TestPki.get();

    @TempDir
    static Path dir;

    private static PeerFiles files;

    @BeforeAll
    static void writeCertificates() throws IOException {
        files = PeerFiles.write(dir);
    }

    /** The script's JSON argument, from pairs of names and values. */
    static String json(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        return fields.entrySet().stream()
            .map(entry -> "\"" + entry.getKey() + "\":" + ((entry.getValue() instanceof String text)
                    ? "\"" + text.replace("\\", "\\\\") + "\"" : entry.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
    }

    private static NodePeer.Event await(NodePeer peer, String name) throws InterruptedException {
        return peer.await(event -> event.name().equals(name), Await.SECONDS, name);
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientTalksToNodeServer(TLSProtocol protocol) throws Exception {
        try (NodePeer peer = NodePeer.start(SCRIPT, true, "server", json("cert", files.serverCert(), "key",
                files.serverKey(), "maxVersion", protocol.protocolName()))) {
            TlsConfig config = TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", peer.port()),
                    MemoryPair.trusting()));
            try (BlockingTls tls = BlockingTls.connect(peer.port(), config)) {
                tls.handshake();
                tls.send("hello node");

                assertThat(tls.readUntil("hello node")).isEqualTo("hello node");
                NodePeer.Event secure = await(peer, "secure");
                assertThat(secure.get("protocol")).isEqualTo(protocol.protocolName());
                assertThat(secure.get("cipher")).isEqualTo(tls.engine.sessionInfo().cipherSuite());
            }
            assertThat(await(peer, "end")).as("node saw our close_notify and FIN").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientPresentsItsCertificateToNodeServerThatRequiresOne(TLSProtocol protocol) throws Exception {
        try (NodePeer peer = NodePeer.start(SCRIPT, true, "server", json("cert", files.serverCert(), "key",
                files.serverKey(), "ca", files.caFile(), "requestCert", true, "maxVersion",
                protocol.protocolName()))) {
            TLSSecureOptions options = pki.client.options();
            options.setCa(pki.caList());
            TlsConfig config = TlsConfig.client(new TLSConnectOptions(new NetAddress("127.0.0.1", peer.port()),
                    options));
            try (BlockingTls tls = BlockingTls.connect(peer.port(), config)) {
                tls.handshake();
                tls.send("mutual");

                assertThat(tls.readUntil("mutual")).isEqualTo("mutual");
                NodePeer.Event secure = await(peer, "secure");
                assertThat(secure.get("authorized")).isEqualTo("true");
                assertThat(secure.get("peer")).isEqualTo("test_client");
            }
        }
    }

    @Test
    void ourClientWithoutCertificateHearsNodeRefuseIt() throws Exception {
        try (NodePeer peer = NodePeer.start(SCRIPT, true, "server", json("cert", files.serverCert(), "key",
                files.serverKey(), "ca", files.caFile(), "requestCert", true))) {
            TlsConfig config = TlsConfig.client(new TLSConnectOptions(new NetAddress("127.0.0.1", peer.port()),
                    MemoryPair.trusting()));
            try (BlockingTls tls = BlockingTls.connect(peer.port(), config)) {
                assertThatThrownBy(() -> {
                    tls.handshake();
                    tls.send("no certificate");
                    tls.readToEnd();
                }).isInstanceOf(BusinessError.class)
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
            }
            assertThat(await(peer, "tlsClientError").get("code")).isNotEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void nodeClientTalksToOurServer(TLSProtocol protocol) throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen();
                NodePeer peer = NodePeer.start(SCRIPT, false, "client", json("port", BlockingTls.port(listener), "ca",
                        files.caFile(), "maxVersion", protocol.protocolName(), "send", "ping"))) {
            try (BlockingTls tls = BlockingTls.accept(listener, MemoryPair.serverConfig(false))) {
                tls.handshake();
                assertThat(tls.readUntil("ping")).isEqualTo("ping");
                tls.send("pong");

                NodePeer.Event secure = await(peer, "secure");
                assertThat(secure.get("authorized")).as("node verified our certificate for 127.0.0.1")
                    .isEqualTo("true");
                assertThat(secure.get("protocol")).isEqualTo(protocol.protocolName());
                assertThat(await(peer, "data").get("hex"))
                    .isEqualTo(HexFormat.of().formatHex("pong".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(await(peer, "end")).as("node saw our close_notify").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void nodeClientPresentsItsCertificateToOurServer(TLSProtocol protocol) throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen();
                NodePeer peer = NodePeer.start(SCRIPT, false, "client", json("port", BlockingTls.port(listener), "ca",
                        files.caFile(), "cert", files.clientCert(), "key", files.clientKey(), "maxVersion",
                        protocol.protocolName(), "send", "mutual"))) {
            try (BlockingTls tls = BlockingTls.accept(listener, MemoryPair.serverConfig(true))) {
                tls.handshake();

                assertThat(tls.readUntil("mutual")).isEqualTo("mutual");
                assertThat(tls.engine.sessionInfo().peerCertificate().data()).isEqualTo(pki.client.der());
                assertThat(tls.engine.sessionInfo().protocol()).isEqualTo(protocol.protocolName());
            }
        }
    }

    @Test
    void nodeClientRejectsAServerCertificateForAnotherName() throws Exception {
        TLSSecureOptions options = pki.otherName.options();
        try (ServerSocketChannel listener = BlockingTls.listen();
                NodePeer peer = NodePeer.start(SCRIPT, false, "client", json("port", BlockingTls.port(listener), "ca",
                        files.caFile(), "send", "never"));
                BlockingTls tls = BlockingTls.accept(listener,
                        TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options)))) {
            try {
                tls.handshake();
                tls.readToEnd();
            }
            catch (IOException ex) {
                // Node checks the name after its side of the handshake, then drops the connection, alert or not.
            }
            assertThat(await(peer, "error").get("code")).isEqualTo("ERR_TLS_CERT_ALTNAME_INVALID");
            assertThat(tls.engine.isCloseNotifyReceived()).as("the session was not ended, only dropped").isFalse();
            assertThat(tls.received().size()).as("nothing was sent to a server it does not trust").isZero();
        }
    }

    @Test
    void aPlaintextServerIs2303505() throws Exception {
        // Node's plain `net` server (tcp-peer.js), which greets every connection with text.
        try (NodePeer peer = NodePeer.start("greet", "220 plain text service ready");
                BlockingTls tls = BlockingTls.connect(peer.port(), TlsConfig.client(
                        new TLSConnectOptions(peer.address(), MemoryPair.trusting())))) {
            assertThatThrownBy(tls::handshake).isInstanceOf(BusinessError.class)
                .extracting(error -> ((BusinessError) error).getCode())
                .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
        }
    }

}
