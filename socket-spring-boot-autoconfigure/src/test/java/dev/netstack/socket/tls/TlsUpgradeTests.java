package dev.netstack.socket.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
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
            SSLSocket tls = JdkTls.serverOver(socket);
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
    void aSendMadeJustBeforeTheUpgradeGoesOutFirstWithoutWaitingForTheHandshake() throws Exception {
        // One loop, held by a UDP callback while the send and the upgrade queue behind it: both run in one turn.
        NioSocketFactory factory = factory(settings -> settings.ioThreads(1));
        CompletableFuture<String> lineBeforeTls = new CompletableFuture<>();
        try (JdkTls.PlainPeer peer = JdkTls.plainServer((socket, in, out) -> {
            lineBeforeTls.complete(readLine(in));
            SSLSocket tls = JdkTls.serverOver(socket);
            BufferedReader lines = new BufferedReader(new InputStreamReader(tls.getInputStream(),
                    StandardCharsets.UTF_8));
            tls.getOutputStream().write((lines.readLine() + " after TLS\n").getBytes(StandardCharsets.UTF_8));
            tls.getOutputStream().flush();
        })) {
            TCPSocket tcp = connectedTcp(factory, peer.port(), new LinkedBlockingQueue<>());
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            UDPSocket holder = factory.constructUDPSocketInstance();
            holder.on(SocketEventType.MESSAGE, message -> {
                holding.countDown();
                awaitQuietly(release);
            });
            Await.result(holder.bind(new NetAddress("127.0.0.1", 0)));
            Await.result(holder.send(new UDPSendOptions("hold", Await.result(holder.getLocalAddress()))));
            assertThat(holding.await(Await.SECONDS, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> sent = tcp.send(new TCPSendOptions("STARTTLS\n"));
            TLSSocket tls = factory.constructTLSSocketInstance(tcp);
            release.countDown();

            Await.result(sent);
            assertThat(lineBeforeTls.get(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("STARTTLS");
            Inbox inbox = Inbox.of(tls);
            Await.result(tls.connect(to(peer.port(), trusting())));
            Await.result(tls.send("secret\n"));
            assertThat(inbox.awaitText("secret after TLS\n")).isEqualTo("secret after TLS\n");
            Await.result(tls.close());
            Await.result(holder.close());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(Await.SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theUpgradedTcpSocketIsInert() throws Exception {
        LinkedBlockingQueue<String> observed = new LinkedBlockingQueue<>();
        NioSocketFactory factory = factory(settings -> settings.observer(new SocketObserver() {
            @Override
            public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
                observed.add(socket.protocol().tag() + " " + type.name());
            }
        }));
        try (JdkTls.PlainPeer peer = startTlsPeer()) {
            TCPSocket tcp = connectedTcp(factory, peer.port(), new LinkedBlockingQueue<>());
            tcp.on(SocketEventType.CLOSE, nothing -> observed.add("tcp close callback"));
            TLSSocket tls = factory.constructTLSSocketInstance(tcp);
            Await.result(tls.getState());
            assertThat(observed.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("tcp connect");
            assertThat(observed.poll(Await.SECONDS, TimeUnit.SECONDS))
                .as("observers see the TCP socket end; its callbacks are gone").isEqualTo("tcp close");
            assertThat(factory.sockets()).containsExactly((NioSocket) tls);

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
