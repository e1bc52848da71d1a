package dev.netstack.socket.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * STARTTLS: a connected TCP socket becomes a TLS socket ({@code constructTLSSocketInstance(TCPSocket)}) after a
 * plaintext line, against the JDK's {@code SSLSocketFactory.createSocket} over the socket it accepted.
 */
@Timeout(30)
class TlsUpgradeTests extends TlsTestSupport {

    /** Reads "STARTTLS", answers "GO", then speaks TLS on the same connection and answers each line in capitals. */
    private static JdkTls.PlainPeer startTlsPeer() throws Exception {
        return JdkTls.plainServer((socket, in, out) -> {
            assertThat(readLine(in)).isEqualTo("STARTTLS");
            out.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            SSLSocket tls = (SSLSocket) JdkTls.context(pki.server).getSocketFactory()
                .createSocket(socket, null, socket.getPort(), false);
            tls.setUseClientMode(false);
            BufferedReader lines = new BufferedReader(new InputStreamReader(tls.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream answers = tls.getOutputStream();
            String line;
            while ((line = lines.readLine()) != null) {
                answers.write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
                answers.flush();
            }
        });
    }

    /** One line, byte by byte: nothing of what follows it may be read ahead into a buffer. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

    private static TCPSocket connectedTcp(NioSocketFactory factory, int port, LinkedBlockingQueue<String> received)
            throws Exception {
        TCPSocket tcp = factory.constructTCPSocketInstance();
        tcp.on(SocketEventType.MESSAGE, message -> received.add(message.text()));
        Await.result(tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", port))));
        return tcp;
    }

    @Test
    void aTcpSocketBecomesTlsAfterAPlaintextLine() throws Exception {
        NioSocketFactory factory = factory();
        try (JdkTls.PlainPeer peer = startTlsPeer()) {
            LinkedBlockingQueue<String> plaintext = new LinkedBlockingQueue<>();
            TCPSocket tcp = connectedTcp(factory, peer.port(), plaintext);
            Await.result(tcp.send(new TCPSendOptions("STARTTLS\n")));
            assertThat(plaintext.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("GO\n");

            TLSSocket tls = factory.constructTLSSocketInstance(tcp);
            Inbox inbox = Inbox.of(tls);
            assertThat(Await.result(tls.getState()).isConnected()).as("no session yet").isFalse();
            Await.result(Await.<Void>callback(callback -> tls.connect(to(peer.port(), trusting()), callback)));
            Await.result(tls.send("secret\n"));

            assertThat(inbox.awaitText("SECRET\n")).isEqualTo("SECRET\n");
            assertThat(Await.result(tls.getRemoteCertificate()).data()).isEqualTo(pki.server.der());
            assertThat(Await.result(tls.getState())).isEqualTo(new SocketStateBase(true, false, true));
            Await.result(tls.close());
            peer.done.get(Await.SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUpgradedTcpSocketIsInert() throws Exception {
        NioSocketFactory factory = factory();
        try (JdkTls.PlainPeer peer = startTlsPeer()) {
            TCPSocket tcp = connectedTcp(factory, peer.port(), new LinkedBlockingQueue<>());
            TLSSocket tls = factory.constructTLSSocketInstance(tcp);
            Await.result(tls.getState());

            assertThat(Await.failure(tcp.send(new TCPSendOptions("x"))).getCode())
                .isEqualTo(BusinessError.NOT_BOUND);
            assertThat(Await.failure(tcp.getRemoteAddress()).getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(Await.failure(Await.<Void>callback(tcp::close)).getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(Await.result(tcp.getState()).isConnected()).isFalse();
            assertThatThrownBy(() -> tcp.on(SocketEventType.MESSAGE, message -> {
            })).isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.NOT_BOUND));
            assertThatThrownBy(() -> factory.constructTLSSocketInstance(tcp)).isInstanceOfSatisfying(
                    BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.TLS_INVALID_SOCKET));
            assertThat(Await.result(tls.getLocalAddress()).port()).isPositive();
        }
    }

    @Test
    void theUpgradeChecksItsSocketAtOnce() throws Exception {
        NioSocketFactory factory = factory();
        TCPSocket bound = factory.constructTCPSocketInstance();
        Await.result(bound.bind(new NetAddress("127.0.0.1", 0)));

        assertThatThrownBy(() -> factory.constructTLSSocketInstance(null))
            .isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR));
        assertThatThrownBy(() -> factory.constructTLSSocketInstance(factory.constructTCPSocketInstance()))
            .isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.TLS_INVALID_SOCKET));
        assertThatThrownBy(() -> factory().constructTLSSocketInstance(bound))
            .isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.TLS_INVALID_SOCKET));
        assertThatThrownBy(() -> factory.constructTLSSocketInstance(bound))
            .isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.TLS_SOCKET_NOT_CONNECTED));
    }

    @Test
    void connectOfAnUpgradedSocketMustNameItsPeer() throws Exception {
        NioSocketFactory factory = factory();
        try (JdkTls.PlainPeer peer = startTlsPeer()) {
            TCPSocket tcp = connectedTcp(factory, peer.port(), new LinkedBlockingQueue<>());
            TLSSocket tls = factory.constructTLSSocketInstance(tcp);

            BusinessError error = Await.failure(tls.connect(to(peer.port() + 1, trusting())));

            assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
            assertThat(error.getMessage()).contains(String.valueOf(peer.port() + 1));
        }
    }

}
