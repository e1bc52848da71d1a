package dev.netstack.socket.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.NetSocket;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.nio.tls.TestPki;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the TLS socket tests share: factories closed after each test, the test PKI's options, a server that listens
 * on loopback port 0, and an inbox of what a socket receives.
 */
abstract class TlsTestSupport {

    static final TestPki pki = TestPki.get();

    private final List<NioSocketFactory> factories = new CopyOnWriteArrayList<>();

    /** Every handshake the factories' observers saw: "ok" or the code of its failure. */
    final LinkedBlockingQueue<String> handshakes = new LinkedBlockingQueue<>();

    NioSocketFactory factory() {
        return factory(settings -> {
        });
    }

    NioSocketFactory factory(Consumer<SocketSettings.Builder> settings) {
        SocketSettings.Builder builder = SocketSettings.builder()
            .ioThreads(2)
            .threadNamePrefix("socket-io-" + getClass().getSimpleName() + "-")
            .observer(new SocketObserver() {
                @Override
                public void handshakeCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
                    TlsTestSupport.this.handshakes.add((failure != null) ? String.valueOf(failure.getCode()) : "ok");
                }
            });
        settings.accept(builder);
        NioSocketFactory factory = NioSocketFactory.create(builder.build());
        this.factories.add(factory);
        return factory;
    }

    @AfterEach
    void closeFactories() {
        this.factories.forEach(NioSocketFactory::close);
    }

    static TLSSecureOptions serverOptions(TLSProtocol... protocols) {
        TLSSecureOptions options = pki.server.options();
        options.setProtocols(List.of(protocols));
        return options;
    }

    static TLSSecureOptions trusting(TLSProtocol... protocols) {
        TLSSecureOptions options = new TLSSecureOptions();
        options.setCa(pki.caList());
        options.setProtocols(List.of(protocols));
        return options;
    }

    static TLSConnectOptions to(int port, TLSSecureOptions options) {
        return new TLSConnectOptions(new NetAddress("127.0.0.1", port), options);
    }

    static TLSConnectOptions local(TLSSecureOptions options) {
        return new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options);
    }

    /** A server on 127.0.0.1, port 0, that echoes each message and records its connections. */
    static Server echoServer(NioSocketFactory factory, TLSConnectOptions options) throws Exception {
        return server(factory, options,
                connection -> connection.on(SocketEventType.MESSAGE, message -> connection.send(message.bytes())));
    }

    /** A server on 127.0.0.1, port 0, that records its connections after {@code onConnect} has seen each. */
    static Server server(NioSocketFactory factory, TLSConnectOptions options, Consumer<TLSSocketConnection> onConnect)
            throws Exception {
        TLSSocketServer server = factory.constructTLSSocketServerInstance();
        Server recorded = new Server(server);
        server.on(TLSSocketServer.CONNECT, connection -> {
            onConnect.accept(connection);
            recorded.connections.add(connection);
        });
        Await.result(server.listen(options));
        return recorded;
    }

    record Server(TLSSocketServer server, LinkedBlockingQueue<TLSSocketConnection> connections) {

        Server(TLSSocketServer server) {
            this(server, new LinkedBlockingQueue<>());
        }

        int port() throws Exception {
            return Await.result(this.server.getLocalAddress()).port();
        }

        TLSSocketConnection nextConnection() throws InterruptedException {
            TLSSocketConnection connection = this.connections.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(connection).as("a connection within %d s", Await.SECONDS).isNotNull();
            return connection;
        }

    }

    static String nextHandshake(LinkedBlockingQueue<String> handshakes) throws InterruptedException {
        String outcome = handshakes.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(outcome).as("a handshake ended within %d s", Await.SECONDS).isNotNull();
        return outcome;
    }

    /** What a socket received, in order, and its other events as short strings. */
    static final class Inbox {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        static Inbox of(NetSocket socket) {
            Inbox inbox = new Inbox();
            socket.on(SocketEventType.MESSAGE, message -> {
                synchronized (inbox.bytes) {
                    inbox.bytes.writeBytes(message.bytes());
                }
            });
            socket.on(SocketEventType.ERROR, error -> inbox.events.add("error:" + error.getCode()));
            socket.on(SocketEventType.CLOSE, nothing -> inbox.events.add("close"));
            return inbox;
        }

        static Inbox of(TLSSocket socket) {
            Inbox inbox = of((NetSocket) socket);
            socket.on(SocketEventType.CONNECT, nothing -> inbox.events.add("connect"));
            return inbox;
        }

        byte[] awaitBytes(int count) {
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> size() >= count);
            synchronized (this.bytes) {
                return this.bytes.toByteArray();
            }
        }

        String awaitText(String expected) {
            return new String(awaitBytes(expected.getBytes(StandardCharsets.UTF_8).length), StandardCharsets.UTF_8);
        }

        int size() {
            synchronized (this.bytes) {
                return this.bytes.size();
            }
        }

        String nextEvent() throws InterruptedException {
            String event = this.events.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an event within %d s", Await.SECONDS).isNotNull();
            return event;
        }

        List<String> eventsNow() {
            return new ArrayList<>(this.events);
        }

    }

    static <T> BusinessError failure(CompletableFuture<T> future) throws Exception {
        return Await.failure(future);
    }

}
