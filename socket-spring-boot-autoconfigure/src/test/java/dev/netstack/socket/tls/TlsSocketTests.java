package dev.netstack.socket.tls;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A TLS client of this project against a TLS server of this project, on loopback: the handshake, the session
 * getters, messages both ways, the close, and what fails before there is a session.
 */
@Timeout(30)
class TlsSocketTests extends TlsTestSupport {

    @ParameterizedTest
    @EnumSource(TLSProtocol.class)
    void clientAndServerTalkAndReportTheSession(TLSProtocol protocol) throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions(protocol)));
        TLSSocket client = factory.constructTLSSocketInstance();
        Inbox inbox = Inbox.of(client);

        Await.result(client.connect(to(server.port(), trusting(protocol))));

        assertThat(inbox.eventsNow()).as("'connect' fires before the result").containsExactly("connect");
        assertThat(inbox.nextEvent()).isEqualTo("connect");
        assertThat(Await.result(client.getProtocol())).isEqualTo(protocol.protocolName());
        assertThat(Await.result(client.getCipherSuite())).hasSize(1).first().asString().startsWith("TLS_");
        assertThat(Await.result(client.getRemoteCertificate()).data()).isEqualTo(pki.server.der());
        assertThat(Await.result(client.getState())).isEqualTo(new SocketStateBase(true, false, true));
        assertThat(Await.result(client.getRemoteAddress()).port()).isEqualTo(server.port());
        TLSSocketConnection connection = server.nextConnection();
        assertThat(Await.result(connection.getCipherSuite())).isEqualTo(Await.result(client.getCipherSuite()));
        assertThat(Await.result(connection.getSignatureAlgorithms())).isNotEmpty();
        assertThat(Await.result(server.server().getProtocol())).isEqualTo(protocol.protocolName());
        assertThat(Await.result(server.server().getCertificate()).data()).isEqualTo(pki.server.der());

        Await.result(client.send("hello over tls"));
        Await.result(client.send("! and bytes".getBytes(StandardCharsets.UTF_8)));
        assertThat(inbox.awaitText("hello over tls! and bytes")).isEqualTo("hello over tls! and bytes");

        Await.result(client.close());
        assertThat(inbox.nextEvent()).isEqualTo("close");
        assertThat(Await.failure(client.send("after close")).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(nextHandshake(this.handshakes)).isEqualTo("ok");
        assertThat(nextHandshake(this.handshakes)).isEqualTo("ok");
    }

    @Test
    void serverThatRequiresACertificateReceivesTheClients() throws Exception {
        NioSocketFactory factory = factory();
        TLSSecureOptions serverSide = serverOptions();
        serverSide.setCa(pki.caList());
        serverSide.setIsBidirectionalAuthentication(true);
        Server server = echoServer(factory, local(serverSide));
        TLSSocket client = factory.constructTLSSocketInstance();
        TLSSecureOptions clientSide = pki.client.options();
        clientSide.setCa(pki.caList());

        Await.result(client.connect(to(server.port(), clientSide)));

        TLSSocketConnection connection = server.nextConnection();
        assertThat(Await.result(connection.getRemoteCertificate()).data()).isEqualTo(pki.client.der());
        assertThat(Await.result(client.getCertificate()).data()).isEqualTo(pki.client.der());
        assertThat(Await.result(client.getSignatureAlgorithms())).as("the server's certificate request").isNotEmpty();
    }

    @Test
    void aConnectionWithoutAClientCertificateHasNone() throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions()));
        TLSSocket client = factory.constructTLSSocketInstance();
        Await.result(client.connect(to(server.port(), trusting())));

        BusinessError error = Await.failure(server.nextConnection().getRemoteCertificate());

        assertThat(error.getCode()).isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        assertThat(error.getMessage()).contains("sent none");
        assertThat(Await.failure(client.getCertificate()).getCode())
            .isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
    }

    @Test
    void everyCallThatNeedsASessionIs2303501BeforeTheHandshake() throws Exception {
        TLSSocket client = factory().constructTLSSocketInstance();

        assertThat(List.of(Await.failure(client.send("x")), Await.failure(client.getRemoteAddress()),
                Await.failure(client.getProtocol()), Await.failure(client.getCipherSuite()),
                Await.failure(client.getCertificate()), Await.failure(client.getRemoteCertificate()),
                Await.failure(client.getSignatureAlgorithms())))
            .extracting(BusinessError::getCode)
            .containsOnly(BusinessError.TLS_NO_SESSION);
        assertThat(Await.result(client.getState())).isEqualTo(new SocketStateBase(false, false, false));
        assertThat(Await.failure(factory().constructTLSSocketServerInstance().getProtocol()).getCode())
            .isEqualTo(BusinessError.TLS_NO_SESSION);
    }

    @Test
    void anEmptySendIs401AndAnotherPayloadTypeToo() throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions()));
        TLSSocket client = factory.constructTLSSocketInstance();
        Await.result(client.connect(to(server.port(), trusting())));

        BusinessError empty = Await.failure(client.send(""));
        BusinessError other = Await.failure(client.send(42));

        assertThat(empty.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(empty.getMessage()).contains("empty");
        assertThat(other.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(Await.failure(server.nextConnection().send(new byte[0])).getCode())
            .isEqualTo(BusinessError.PARAMETER_ERROR);
    }

    @Test
    void closeSendsWhatWasAcceptedThenCloseNotify() throws Exception {
        NioSocketFactory factory = factory();
        List<Inbox> inboxes = new CopyOnWriteArrayList<>();
        Server server = server(factory, local(serverOptions()), connection -> inboxes.add(Inbox.of(connection)));
        TLSSocket client = factory.constructTLSSocketInstance();
        Await.result(client.connect(to(server.port(), trusting())));
        server.nextConnection();
        Inbox received = inboxes.get(0);
        byte[] block = new byte[100_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }

        for (int i = 0; i < 20; i++) {
            client.send(block);
        }
        Await.result(client.close());

        assertThat(received.awaitBytes(20 * block.length)).hasSize(20 * block.length);
        assertThat(received.nextEvent()).as("close_notify ends the server's connection").isEqualTo("close");
        assertThat(received.eventsNow()).isEmpty();
    }

    @Test
    void framingCutsThePlaintextIntoFrames() throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions()));
        NioSocketFactory clientFactory = factory();
        TLSSocket client = clientFactory.constructTLSSocketInstance();
        List<String> lines = new CopyOnWriteArrayList<>();
        client.on(SocketEventType.MESSAGE, message -> lines.add(message.text()));
        client.setFraming(Framing.lines(100));
        Await.result(client.connect(to(server.port(), trusting())));

        Await.result(client.send("one\ntw"));
        Await.result(client.send("o\nthree\n"));

        await().until(() -> lines.size() == 3);
        assertThat(lines).containsExactly("one", "two", "three");
    }

    @Test
    void monitoringSeesTheSessionAndTheTlsTotals() throws Exception {
        NioSocketFactory factory = factory();
        Server server = echoServer(factory, local(serverOptions(TLSProtocol.TLSv13)));
        TLSSocket client = factory.constructTLSSocketInstance();
        Await.result(client.connect(to(server.port(), trusting())));
        server.nextConnection();

        NioSocket nio = (NioSocket) client;
        assertThat(nio.protocol()).isEqualTo(Protocol.TLS);
        assertThat(nio.tlsSession().protocol()).isEqualTo("TLSv1.3");
        assertThat(nio.tlsSession().peerCertificate().data()).isEqualTo(pki.server.der());
        assertThat(factory.stats().server(Protocol.TLS).accepted()).isEqualTo(1);
        assertThat(factory.stats().server(Protocol.TCP).accepted()).isZero();
        assertThat(factory.stats().of(Protocol.TLS).active()).as("server, connection, client").isEqualTo(3);
        assertThat(factory.sockets().stream().filter(s -> s.protocol() == Protocol.TCP)).isEmpty();
    }

    @Test
    void aRefusedTcpConnectHasTheTlsSystemCodeAndTheSocketMayConnectAgain() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        NioSocketFactory factory = factory();
        TLSSocket client = factory.constructTLSSocketInstance();

        BusinessError refused = Await.failure(client.connect(to(closedPort, trusting())));

        assertThat(refused.getCode()).isEqualTo(BusinessError.TLS_SYSTEM_ERROR_BASE + 111);
        Server server = echoServer(factory, local(serverOptions()));
        Await.result(client.connect(to(server.port(), trusting())));
        assertThat(Await.result(client.getState()).isConnected()).isTrue();
    }

    @Test
    void aServerWithoutSecureOptionsOrDefaultsIs401NamingThem() throws Exception {
        BusinessError error = Await.failure(factory().constructTLSSocketServerInstance()
            .listen(local(null)));

        assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(error.getMessage()).contains("secureOptions");
    }

    @Test
    void connectOptionsAreCheckedBeforeAnyPacket() throws Exception {
        TLSSecureOptions badKey = pki.server.options();
        badKey.setKey("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        TLSSocket client = factory().constructTLSSocketInstance();

        assertThat(Await.failure(client.connect(to(1, badKey))).getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(Await.failure(client.connect(new TLSConnectOptions(new NetAddress("127.0.0.1", 1),
                trusting(), List.of(), false, -1))).getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThatThrownBy(() -> client.on(SocketEventType.LISTENING, nothing -> {
        })).isInstanceOf(BusinessError.class);
    }

}
