package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine wrapper against Debian's {@code openssl s_server} and {@code s_client}, over plain blocking channels on
 * loopback: TLS 1.2 and 1.3, with and without client certificates, in both directions.
 */
@Timeout(60)
class OpenSslPeerTests {

    private static final TestPki pki = TestPki.get();

    @TempDir
    static Path dir;

    private static PeerFiles files;

    @BeforeAll
    static void writeCertificates() throws IOException {
        files = PeerFiles.write(dir);
    }

    private static String flag(TLSProtocol protocol) {
        return (protocol == TLSProtocol.TLSv13) ? "-tls1_3" : "-tls1_2";
    }

    private static TlsConfig clientConfig(int port, TLSSecureOptions options) {
        return TlsConfig.client(new TLSConnectOptions(new NetAddress("127.0.0.1", port), options));
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientTalksToOpenSslServer(TLSProtocol protocol) throws Exception {
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", files.serverCert(), "-key", files.serverKey(),
                flag(protocol))) {
            int port = peer.acceptingPort();
            try (BlockingTls tls = BlockingTls.connect(port, clientConfig(port, MemoryPair.trusting()))) {
                tls.handshake();
                tls.send("hello tls\n");

                assertThat(tls.readUntil("\n")).isEqualTo("slt olleh\n");
                assertThat(tls.engine.sessionInfo().protocol()).isEqualTo(protocol.protocolName());
            }
            peer.awaitLine(line -> line.equals("Protocol version: " + protocol.protocolName()), "the protocol");
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientPresentsItsCertificateToOpenSslServerThatRequiresOne(TLSProtocol protocol) throws Exception {
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", files.serverCert(), "-key", files.serverKey(),
                "-Verify", "1", "-CAfile", files.caFile(), flag(protocol))) {
            int port = peer.acceptingPort();
            TLSSecureOptions options = pki.client.options();
            options.setCa(pki.caList());
            options.setProtocols(List.of(protocol));
            try (BlockingTls tls = BlockingTls.connect(port, clientConfig(port, options))) {
                tls.handshake();
                tls.send("with certificate\n");

                assertThat(tls.readUntil("\n")).isEqualTo("etacifitrec htiw\n");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientWithoutCertificateHearsOpenSslRefuseIt(TLSProtocol protocol) throws Exception {
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", files.serverCert(), "-key", files.serverKey(),
                "-Verify", "1", "-CAfile", files.caFile(), flag(protocol))) {
            int port = peer.acceptingPort();
            try (BlockingTls tls = BlockingTls.connect(port, clientConfig(port, MemoryPair.trusting(protocol)))) {
                // Under TLS 1.3 the client is done before the server checks it: the refusal comes with the next read.
                assertThatThrownBy(() -> {
                    tls.handshake();
                    tls.send("no certificate\n");
                    tls.readToEnd();
                }).isInstanceOf(BusinessError.class)
                    .satisfies(error -> assertThat(error.getMessage()).contains("alert"))
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
            }
        }
    }

    @Test
    void openSslServerWithAnExpiredCertificateIs2303504() throws Exception {
        Path[] expired = pki.expired.write(dir, "expired");
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", expired[0].toString(), "-key", expired[1].toString())) {
            int port = peer.acceptingPort();
            try (BlockingTls tls = BlockingTls.connect(port, clientConfig(port, MemoryPair.trusting()))) {
                assertThatThrownBy(tls::handshake).isInstanceOf(BusinessError.class)
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
            }
            peer.awaitLine(line -> line.contains("certificate unknown") || line.contains("alert"), "our alert");
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void openSslClientTalksToOurServer(TLSProtocol protocol) throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen()) {
            int port = BlockingTls.port(listener);
            try (OpenSslPeer peer = OpenSslPeer.client(port, "-CAfile", files.caFile(), "-verify_ip", "127.0.0.1",
                    flag(protocol))) {
                peer.writeLine("ping");
                try (BlockingTls tls = BlockingTls.accept(listener, MemoryPair.serverConfig(false))) {
                    tls.handshake();
                    assertThat(tls.readUntil("\n")).isEqualTo("ping\n");
                    tls.send("pong\n");
                    peer.awaitLine("pong"::equals, "our answer");

                    assertThat(tls.engine.sessionInfo().protocol()).isEqualTo(protocol.protocolName());
                    assertThat(tls.engine.sessionInfo().peerCertificate()).isNull();
                }
                assertThat(peer.exitCode()).as("s_client ends cleanly on our close_notify (errors: %s)",
                        peer.errors()).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void openSslClientPresentsItsCertificateToOurServer(TLSProtocol protocol) throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen()) {
            int port = BlockingTls.port(listener);
            try (OpenSslPeer peer = OpenSslPeer.client(port, "-CAfile", files.caFile(), "-cert", files.clientCert(),
                    "-key", files.clientKey(), flag(protocol))) {
                peer.writeLine("mutual");
                try (BlockingTls tls = BlockingTls.accept(listener, MemoryPair.serverConfig(true))) {
                    tls.handshake();

                    assertThat(tls.readUntil("\n")).isEqualTo("mutual\n");
                    assertThat(tls.engine.sessionInfo().peerCertificate().data()).isEqualTo(pki.client.der());
                }
            }
        }
    }

    @Test
    void openSslClientWithoutCertificateIs2303504OnOurServer() throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen()) {
            int port = BlockingTls.port(listener);
            try (OpenSslPeer peer = OpenSslPeer.client(port, "-CAfile", files.caFile());
                    BlockingTls tls = BlockingTls.accept(listener, MemoryPair.serverConfig(true))) {
                assertThatThrownBy(() -> {
                    tls.handshake();
                    tls.readToEnd();
                }).isInstanceOf(BusinessError.class)
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
                tls.flush();
                assertThat(peer.exitCode()).as("s_client heard our alert").isNotZero();
            }
        }
    }

    @Test
    void openSslClientWithoutACommonProtocolIs2303505() throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen()) {
            int port = BlockingTls.port(listener);
            TLSSecureOptions only13 = MemoryPair.serverOptions(TLSProtocol.TLSv13);
            try (OpenSslPeer peer = OpenSslPeer.client(port, "-CAfile", files.caFile(), "-tls1_2");
                    BlockingTls tls = BlockingTls.accept(listener, TlsConfig.server(
                            new TLSConnectOptions(new NetAddress("127.0.0.1", 0), only13)))) {
                assertThatThrownBy(tls::handshake).isInstanceOf(BusinessError.class)
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
                tls.flush();
                assertThat(peer.exitCode()).isNotZero();
            }
        }
    }

    @Test
    void openSslClientWithoutACommonCipherSuiteIs2303505() throws Exception {
        try (ServerSocketChannel listener = BlockingTls.listen()) {
            int port = BlockingTls.port(listener);
            TLSSecureOptions options = MemoryPair.serverOptions(TLSProtocol.TLSv12);
            options.setCipherSuite("ECDHE-ECDSA-AES256-GCM-SHA384");
            try (OpenSslPeer peer = OpenSslPeer.client(port, "-CAfile", files.caFile(), "-tls1_2", "-cipher",
                    "ECDHE-ECDSA-AES128-GCM-SHA256");
                    BlockingTls tls = BlockingTls.accept(listener, TlsConfig.server(
                            new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options)))) {
                assertThatThrownBy(tls::handshake).isInstanceOf(BusinessError.class)
                    .extracting(error -> ((BusinessError) error).getCode())
                    .isEqualTo(BusinessError.TLS_HANDSHAKE_FAILED);
            }
        }
    }

}
