package dev.netstack.socket.tls;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocket;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.hygiene.ProcessCounts;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.tls.OpenSslPeer;
import dev.netstack.socket.nio.tls.TestPki;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-peer table: each failure of a handshake or a session with its code, on the client and on the server side.
 * Nothing hangs (each case is bounded), nothing is delivered that failed, and no descriptor is left open.
 */
@Timeout(30)
class TlsBadPeerTests extends TlsTestSupport {

    @TempDir
    Path dir;

    /** Servers that our client must refuse, or that refuse it: openssl s_server with the options named. */
    enum BadServer {

        EXPIRED_CERTIFICATE(BusinessError.TLS_CERTIFICATE_INVALID, "expired"),

        OTHER_NAME(BusinessError.TLS_CERTIFICATE_INVALID, "other"),

        UNKNOWN_CA(BusinessError.TLS_CERTIFICATE_INVALID, "unknown"),

        NO_COMMON_PROTOCOL(BusinessError.TLS_HANDSHAKE_FAILED, "server", "-tls1_2"),

        NO_COMMON_SUITE(BusinessError.TLS_HANDSHAKE_FAILED, "server", "-tls1_2", "-cipher",
                "ECDHE-ECDSA-AES128-GCM-SHA256");

        final int code;

        final String credential;

        final String[] args;

        BadServer(int code, String credential, String... args) {
            this.code = code;
            this.credential = credential;
            this.args = args;
        }

        TestPki.Credential credential() {
            return switch (this.credential) {
                case "expired" -> pki.expired;
                case "other" -> pki.otherName;
                case "unknown" -> pki.unknownCa;
                default -> pki.server;
            };
        }

    }

    @ParameterizedTest
    @EnumSource(BadServer.class)
    void ourClientFailsAgainstABadServerWithItsCode(BadServer bad) throws Exception {
        Path[] credential = bad.credential().write(this.dir, bad.name());
        List<String> command = new ArrayList<>(List.of("-cert", credential[0].toString(), "-key",
                credential[1].toString()));
        command.addAll(List.of(bad.args));
        try (OpenSslPeer peer = OpenSslPeer.server(command.toArray(String[]::new))) {
            int port = peer.acceptingPort();
            long descriptors = ProcessCounts.descriptors();
            NioSocketFactory factory = factory();
            TLSSecureOptions options = trusting((bad == BadServer.NO_COMMON_PROTOCOL) ? TLSProtocol.TLSv13
                    : TLSProtocol.TLSv12);
            if (bad == BadServer.NO_COMMON_SUITE) {
                options.setCipherSuite("ECDHE-ECDSA-AES256-GCM-SHA384");
            }
            TLSSocket client = factory.constructTLSSocketInstance();
            Inbox inbox = Inbox.of(client);

            BusinessError error = Await.failure(client.connect(to(port, options)));

            assertThat(error.getCode()).as(error.getMessage()).isEqualTo(bad.code);
            assertThat(inbox.nextEvent()).isEqualTo("close");
            assertThat(nextHandshake(this.handshakes)).isEqualTo(String.valueOf(bad.code));
            assertNoDescriptorLeft(factory, descriptors);
        }
    }

    /** Peers that do not speak TLS, or stop speaking it, made of the JDK's plain sockets. */
    enum BrokenServer {

        PLAINTEXT(BusinessError.TLS_HANDSHAKE_FAILED),

        STOPS_MID_HANDSHAKE(BusinessError.TLS_HANDSHAKE_FAILED),

        SILENT(BusinessError.TLS_HANDSHAKE_TIMED_OUT);

        final int code;

        BrokenServer(int code) {
            this.code = code;
        }

    }

    @ParameterizedTest
    @EnumSource(BrokenServer.class)
    void ourClientFailsAgainstAPeerThatDoesNotSpeakTls(BrokenServer broken) throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        try (JdkTls.PlainPeer peer = JdkTls.plainServer((socket, in, out) -> {
            switch (broken) {
                case PLAINTEXT -> {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    release.get();
                }
                case STOPS_MID_HANDSHAKE -> in.read(new byte[100]);
                case SILENT -> release.get();
            }
        })) {
            long descriptors = ProcessCounts.descriptors();
            NioSocketFactory factory = factory();
            TLSSocket client = factory.constructTLSSocketInstance();

            BusinessError error = Await.failure(client.connect(new TLSConnectOptions(
                    new NetAddress("127.0.0.1", peer.port()), trusting(), List.of(), false, 500)));

            assertThat(error.getCode()).as(error.getMessage()).isEqualTo(broken.code);
            release.complete(null);
            assertNoDescriptorLeft(factory, descriptors);
        }
    }

    @Test
    void aClientWithoutTheRequiredCertificateIsNeverDelivered() throws Exception {
        Path ca = pki.ca.write(this.dir, "ca")[0];
        long descriptors = ProcessCounts.descriptors();
        NioSocketFactory factory = factory();
        TLSSecureOptions options = serverOptions();
        options.setCa(pki.caList());
        options.setIsBidirectionalAuthentication(true);
        Server server = echoServer(factory, local(options));

        try (OpenSslPeer peer = OpenSslPeer.client(server.port(), "-CAfile", ca.toString(), "-tls1_2")) {
            assertThat(nextHandshake(this.handshakes)).isEqualTo(String.valueOf(BusinessError.TLS_CERTIFICATE_INVALID));
            assertThat(peer.exitCode()).as("s_client heard our alert").isNotZero();
        }
        assertThat(server.connections()).isEmpty();
        assertThat(factory.stats().of(Protocol.TLS).errors(BusinessError.TLS_CERTIFICATE_INVALID)).isEqualTo(1);
        await().until(() -> factory.stats().server(Protocol.TLS).open() == 0);
        assertThat(factory.stats().server(Protocol.TLS).accepted()).isEqualTo(1);
        assertNoDescriptorLeft(factory, descriptors);
    }

    @Test
    void silentAndPlaintextClientsAreClosedAfterTheirHandshakeFails() throws Exception {
        long descriptors = ProcessCounts.descriptors();
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, new TLSConnectOptions(new NetAddress("127.0.0.1", 0), serverOptions(),
                List.of(), false, 300));

        try (Socket silent = new Socket("127.0.0.1", server.port());
                Socket plaintext = new Socket("127.0.0.1", server.port())) {
            plaintext.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(List.of(nextHandshake(this.handshakes), nextHandshake(this.handshakes)))
                .containsExactlyInAnyOrder(String.valueOf(BusinessError.TLS_HANDSHAKE_FAILED),
                        String.valueOf(BusinessError.TLS_HANDSHAKE_TIMED_OUT));
            assertThat(silent.getInputStream().read()).as("the silent client sees the end").isEqualTo(-1);
            assertThat(plaintext.getInputStream().readAllBytes()).as("an alert at most").hasSizeLessThan(100);
        }
        assertThat(server.connections()).isEmpty();
        assertNoDescriptorLeft(factory, descriptors);
    }

    @Test
    void garbageAfterTheHandshakeIs2303505ThenClose() throws Exception {
        NioSocketFactory factory = factory();
        List<Inbox> inboxes = new CopyOnWriteArrayList<>();
        Server server = server(factory, local(serverOptions()), connection -> inboxes.add(Inbox.of(connection)));
        try (Socket plain = new Socket("127.0.0.1", server.port());
                SSLSocket tls = (SSLSocket) JdkTls.context(false).getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.port(), false)) {
            tls.startHandshake();
            server.nextConnection();

            plain.getOutputStream().write(new byte[] { 23, 3, 3, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                    14, 15, 16, 17, 18, 19, 20 });

            Inbox inbox = inboxes.get(0);
            assertThat(inbox.nextEvent()).isEqualTo("error:" + BusinessError.TLS_HANDSHAKE_FAILED);
            assertThat(inbox.nextEvent()).isEqualTo("close");
        }
    }

    @Test
    void closeNotifyWithSendsPendingIs2303506() throws Exception {
        NioSocketFactory factory = factory();
        List<Inbox> inboxes = new CopyOnWriteArrayList<>();
        Server server = server(factory, local(serverOptions(TLSProtocol.TLSv13)),
                connection -> inboxes.add(Inbox.of(connection)));
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(16384);
        Await.result(server.server().setExtraOptions(small));
        try (Socket plain = new Socket()) {
            // A small window, so that the server's sends wait in its queue.
            plain.setReceiveBufferSize(4096);
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()));
            SSLSocket tls = (SSLSocket) JdkTls.context(false).getSocketFactory()
                .createSocket(plain, "127.0.0.1", server.port(), true);
            tls.startHandshake();
            TLSSocketConnection connection = server.nextConnection();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sends.add(connection.send(new byte[100_000]));
            }
            await().until(() -> ((NioSocket) connection).pendingBytes() > 1_000_000);

            tls.shutdownOutput();

            Inbox inbox = inboxes.get(0);
            assertThat(inbox.nextEvent()).isEqualTo("error:" + BusinessError.TLS_PEER_CLOSED);
            assertThat(inbox.nextEvent()).isEqualTo("close");
            assertThat(Await.failure(sends.get(sends.size() - 1)).getCode()).isEqualTo(BusinessError.TLS_PEER_CLOSED);
        }
    }

    private static void assertNoDescriptorLeft(NioSocketFactory factory, long before) {
        factory.close();
        if (ProcessCounts.descriptorsCountable()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessCounts.descriptors() <= before);
        }
    }

}
