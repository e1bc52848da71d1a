package dev.netstack.socket.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.tls.OpenSslPeer;
import dev.netstack.socket.nio.tls.PeerFiles;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS sockets and servers of this project against Debian's {@code openssl s_server} and {@code s_client}: TLS 1.2
 * and 1.3, with and without client certificates, in both directions.
 */
@Timeout(60)
class TlsOpenSslPeerTests extends TlsTestSupport {

    @TempDir
    static Path dir;

    private static PeerFiles files;

    @BeforeAll
    static void writeCertificates() throws IOException {
        files = PeerFiles.write(dir);
    }

    static String flag(TLSProtocol protocol) {
        return (protocol == TLSProtocol.TLSv13) ? "-tls1_3" : "-tls1_2";
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientTalksToOpenSslServer(TLSProtocol protocol) throws Exception {
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", files.serverCert(), "-key", files.serverKey(),
                flag(protocol))) {
            TLSSocket client = factory().constructTLSSocketInstance();
            Inbox inbox = Inbox.of(client);

            Await.result(client.connect(to(peer.acceptingPort(), trusting())));
            Await.result(Await.<Void>callback(callback -> client.send("hello tls\n", callback)));

            assertThat(inbox.awaitText("slt olleh\n")).isEqualTo("slt olleh\n");
            assertThat(Await.result(Await.<String>callback(client::getProtocol))).isEqualTo(protocol.protocolName());
            Await.result(Await.<Void>callback(client::close));
            assertThat(peer.exitCode()).as("s_server ends its one session on our close_notify").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void ourClientPresentsItsCertificateToOpenSslServerThatRequiresOne(TLSProtocol protocol) throws Exception {
        try (OpenSslPeer peer = OpenSslPeer.server("-cert", files.serverCert(), "-key", files.serverKey(),
                "-Verify", "1", "-CAfile", files.caFile(), flag(protocol))) {
            TLSSocket client = factory().constructTLSSocketInstance();
            Inbox inbox = Inbox.of(client);
            TLSSecureOptions options = pki.client.options();
            options.setCa(pki.caList());
            options.setProtocols(List.of(protocol));

            int port = peer.acceptingPort();
            Await.result(Await.<Void>callback(callback -> client.connect(to(port, options), callback)));
            Await.result(client.send("with certificate\n"));

            assertThat(inbox.awaitText("etacifitrec htiw\n")).isEqualTo("etacifitrec htiw\n");
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void openSslClientTalksToOurServer(TLSProtocol protocol) throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions(protocol)));
        try (OpenSslPeer peer = OpenSslPeer.client(server.port(), "-CAfile", files.caFile(), "-verify_ip",
                "127.0.0.1", flag(protocol))) {
            peer.writeLine("ping");

            peer.awaitLine("ping"::equals, "the echo");
            TLSSocketConnection connection = server.nextConnection();
            assertThat(Await.result(connection.getCipherSuite())).hasSize(1);
            Await.result(connection.close());
            assertThat(peer.exitCode()).as("s_client ends cleanly on our close_notify (errors: %s)", peer.errors())
                .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void openSslClientPresentsItsCertificateToOurServerThatRequiresOne(TLSProtocol protocol) throws Exception {
        NioSocketFactory factory = factory();
        TLSSecureOptions options = serverOptions(protocol);
        options.setCa(pki.caList());
        options.setIsBidirectionalAuthentication(true);
        Server server = echoServer(factory, local(options));
        try (OpenSslPeer peer = OpenSslPeer.client(server.port(), "-CAfile", files.caFile(), "-cert",
                files.clientCert(), "-key", files.clientKey(), flag(protocol))) {
            peer.writeLine("mutual");

            peer.awaitLine("mutual"::equals, "the echo");
            TLSSocketConnection connection = server.nextConnection();
            assertThat(Await.result(Await.<X509CertRawData>callback(connection::getRemoteCertificate)).data())
                .isEqualTo(pki.client.der());
        }
    }

}
