package dev.netstack.socket.tls;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.NioTLSSocketServer;
import dev.netstack.socket.nio.tls.TlsDefaults;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callback form of every TLS method, and secure options that come from {@link TlsDefaults} instead of the
 * call: a server's own (a declared server's SSL bundle) and the factory's ({@code socket.tls.bundle}).
 */
@Timeout(30)
class TlsCallbackFormTests extends TlsTestSupport {

    @Test
    void everyMethodHasItsCallbackForm() throws Exception {
        NioSocketFactory factory = factory();
        TLSSocketServer server = factory.constructTLSSocketServerInstance();
        LinkedConnections connections = new LinkedConnections();
        server.on(TLSSocketServer.CONNECT, connections::add);
        TCPExtraOptions noDelay = new TCPExtraOptions();
        noDelay.setTCPNoDelay(true);
        Await.result(Await.<Void>callback(callback -> server.setExtraOptions(noDelay, callback)));
        Await.result(Await.<Void>callback(callback -> server.listen(local(serverOptions()), callback)));
        int port = Await.result(Await.<NetAddress>callback(server::getLocalAddress)).port();
        assertThat(Await.result(Await.<X509CertRawData>callback(server::getCertificate)).data())
            .isEqualTo(pki.server.der());
        assertThat(Await.result(Await.<String>callback(server::getProtocol))).isEqualTo("TLSv1.3");
        TLSSocket client = factory.constructTLSSocketInstance();
        Inbox inbox = Inbox.of(client);

        Await.result(Await.<Void>callback(callback -> client.bind(new NetAddress("127.0.0.1", 0), callback)));
        Await.result(Await.<Void>callback(callback -> client.connect(to(port, trusting()), callback)));
        Await.result(Await.<Void>callback(callback -> client.setExtraOptions(noDelay, callback)));
        TLSSocketConnection connection = connections.next();
        Await.result(Await.<Void>callback(callback -> connection.send("from the server", callback)));

        assertThat(inbox.awaitText("from the server")).isEqualTo("from the server");
        assertThat(Await.result(Await.<NetAddress>callback(client::getRemoteAddress)).port()).isEqualTo(port);
        assertThat(Await.result(Await.<NetAddress>callback(connection::getRemoteAddress)))
            .isEqualTo(Await.result(Await.<NetAddress>callback(client::getLocalAddress)));
        assertThat(Await.result(Await.<SocketStateBase>callback(client::getState)).isConnected()).isTrue();
        assertThat(Await.result(Await.<SocketStateBase>callback(connection::getState)).isConnected()).isTrue();
        assertThat(Await.result(Await.<SocketStateBase>callback(server::getState)).isConnected()).isTrue();
        assertThat(Await.result(Await.<X509CertRawData>callback(client::getRemoteCertificate)).data())
            .isEqualTo(pki.server.der());
        assertThat(Await.result(Await.<List<String>>callback(client::getCipherSuite)))
            .isEqualTo(Await.result(Await.<List<String>>callback(connection::getCipherSuite)));
        assertThat(Await.result(Await.<List<String>>callback(connection::getSignatureAlgorithms))).isNotEmpty();
        assertThat(Await.result(Await.<List<String>>callback(client::getSignatureAlgorithms)))
            .as("the server asked for no certificate").isEmpty();
        assertThat(Await.failure(Await.<X509CertRawData>callback(connection::getRemoteCertificate)).getCode())
            .isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        assertThat(Await.failure(Await.<X509CertRawData>callback(client::getCertificate)).getCode())
            .isEqualTo(BusinessError.TLS_CERTIFICATE_INVALID);
        Await.result(Await.<Void>callback(connection::close));
        assertThat(inbox.nextEvent()).isEqualTo("connect");
        assertThat(inbox.nextEvent()).as("the server's close_notify ends the client").isEqualTo("close");
        Await.result(Await.<Void>callback(client::close));
        Await.result(Await.<Void>callback(server::close));
        assertThat(List.of(nextHandshake(this.handshakes), nextHandshake(this.handshakes)))
            .containsExactly("ok", "ok");
        assertThat(this.handshakes).as("one observer call per handshake").isEmpty();
    }

    @Test
    void aServerListensWithItsOwnDefaultsAndAClientWithTheFactorys() throws Exception {
        SSLContext serverContext = JdkTls.context(pki.server);
        SSLContext clientContext = JdkTls.context(false);
        NioSocketFactory factory = factory(settings -> settings.tlsDefaults(() -> clientContext));
        NioTLSSocketServer server = (NioTLSSocketServer) factory.constructTLSSocketServerInstance();
        server.tlsDefaults(new TlsDefaults() {
            @Override
            public SSLContext context() {
                return serverContext;
            }

            @Override
            public List<String> protocols() {
                return List.of("TLSv1.2");
            }
        });
        Await.result(server.listen(local(null)));
        TLSSocket client = factory.constructTLSSocketInstance();

        Await.result(client.connect(new TLSConnectOptions(
                new NetAddress("127.0.0.1", Await.result(server.getLocalAddress()).port()), null)));

        assertThat(Await.result(client.getProtocol())).isEqualTo("TLSv1.2");
        assertThat(Await.result(client.getRemoteCertificate()).data()).isEqualTo(pki.server.der());
        assertThat(Await.result(server.getProtocol())).isEqualTo("TLSv1.2");
    }

    /** The connections a server delivered, in order. */
    private static final class LinkedConnections {

        private final LinkedBlockingQueue<TLSSocketConnection> queue = new LinkedBlockingQueue<>();

        void add(TLSSocketConnection connection) {
            this.queue.add(connection);
        }

        TLSSocketConnection next() throws InterruptedException {
            TLSSocketConnection connection = this.queue.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(connection).isNotNull();
            return connection;
        }

    }

}
