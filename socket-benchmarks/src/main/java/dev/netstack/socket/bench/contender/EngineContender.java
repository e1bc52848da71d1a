package dev.netstack.socket.bench.contender;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.nio.tls.TlsDefaults;

/**
 * This project's engine, used as an application would: {@link NioSocketFactory} with one event loop thread,
 * sockets driven through the public {@code UDPSocket}/{@code TCPSocket} API, callback form (the cheaper one) unless
 * noted, next sends issued from the completion callbacks on the loop.
 */
public final class EngineContender implements Contender {

    /** Sends in flight per TCP bulk connection: 16 x 64 KiB = 1 MiB, the same as Netty's high water mark here. */
    static final int TCP_WINDOW = 16;

    /** Connects in flight at once when opening idle connections, well under the listen backlog. */
    static final int CONNECTS_IN_FLIGHT = 256;

    private final String id;

    private final NioSocketFactory factory;

    /**
     * Starts the engine.
     * @param id the id shown in the table
     * @param observer a hook for every socket event, or {@code null}
     */
    public EngineContender(String id, SocketObserver observer) {
        this.id = id;
        TCPExtraOptions tcp = new TCPExtraOptions();
        // Every contender runs TCP with Nagle off: ping-pong needs it, bulk with 64 KiB sends is unaffected.
        tcp.setTCPNoDelay(true);
        // The server workloads hold 10,000 connections, the default limit of a server: no limit gets in the way.
        SocketSettings.Builder settings = SocketSettings.builder().ioThreads(1).threadNamePrefix("engine-io-")
                .tcpDefaults(tcp).maxConnections(1_000_000).tlsDefaults(new TlsDefaults() {
                    // The TLS workloads' one key, asked for at the first handshake only: other workloads make none.
                    @Override
                    public SSLContext context() {
                        return TlsMaterial.context();
                    }

                    @Override
                    public List<String> protocols() {
                        return List.of(TlsMaterial.PROTOCOL);
                    }
                });
        if (observer != null) {
            settings.observer(observer);
        }
        this.factory = NioSocketFactory.create(settings.build());
    }

    @Override
    public String ioThreadPrefix() {
        return "engine-io-";
    }

    @Override
    public String id() {
        return this.id;
    }

    /**
     * Returns the factory, for benchmarks that reach the engine directly.
     * @return the factory
     */
    public NioSocketFactory factory() {
        return this.factory;
    }

    @Override
    public UdpSink udpSink() throws Exception {
        Counter counter = new Counter();
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.on(SocketEventType.MESSAGE, info -> counter.add(info.size()));
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        int port = socket.getLocalAddress().get(5, TimeUnit.SECONDS).port();
        return new UdpSink() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public Counter counter() {
                return counter;
            }

            @Override
            public String threadName() {
                return "engine-io-";
            }

            @Override
            public void close() throws Exception {
                socket.close().get(5, TimeUnit.SECONDS);
            }
        };
    }

    @Override
    public void tcpBulk(SocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        // One options object for every send: the engine takes a duplicate of the buffer, never the caller's.
        Stream socket = connect(sink, chunk, null);
        try {
            sendWindowed(socket.send(), chunks, "TCP bulk");
        }
        finally {
            socket.close().get().get(30, TimeUnit.SECONDS);
        }
    }

    /** As TCP bulk, on a {@code TLSSocket} whose secure options are the factory's TLS defaults. */
    @Override
    public void tlsBulk(InetSocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        TLSSocket socket = this.factory.constructTLSSocketInstance();
        try {
            socket.connect(new TLSConnectOptions(new NetAddress("127.0.0.1", sink.getPort()), null))
                .get(30, TimeUnit.SECONDS);
            sendWindowed((callback) -> socket.send(chunk.duplicate(), callback), chunks, "TLS bulk");
        }
        finally {
            socket.close().get(30, TimeUnit.SECONDS);
        }
    }

    /** Keeps {@link #TCP_WINDOW} sends in flight, the next one issued from the completion of the last. */
    private static void sendWindowed(Consumer<AsyncCallback<Void>> send, long chunks, String what) throws Exception {
        AtomicLong issued = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicReference<BusinessError> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AsyncCallback<Void>[] callback = newCallbackHolder();
        Runnable sendOne = () -> {
            if (issued.getAndIncrement() < chunks) {
                send.accept(callback[0]);
            }
        };
        callback[0] = (error, value) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
                done.countDown();
                return;
            }
            if (completed.incrementAndGet() == chunks) {
                done.countDown();
            }
            else {
                sendOne.run();
            }
        };
        for (int i = 0; i < TCP_WINDOW; i++) {
            sendOne.run();
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new TimeoutException(what + " stalled after " + completed.get() + " of " + chunks + " sends");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Override
    public long[] udpPingPong(InetSocketAddress echo, int size, Rounds rounds) throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        try {
            UDPSendOptions ping = new UDPSendOptions(new byte[size], new NetAddress("127.0.0.1", echo.getPort()));
            AsyncCallback<Void> sent = logFailures();
            socket.on(SocketEventType.MESSAGE, info -> {
                if (rounds.pong()) {
                    rounds.sending();
                    socket.send(ping, sent);
                }
            });
            socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
            rounds.sending();
            socket.send(ping, sent);
            return rounds.await(10, TimeUnit.MINUTES);
        }
        finally {
            socket.close().get(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public long[] tcpPingPong(SocketAddress echo, int size, Rounds rounds) throws Exception {
        AsyncCallback<Void> sent = logFailures();
        int[] pending = {0};
        Stream[] socket = new Stream[1];
        // A stream has no framing: a pong may arrive in pieces; a round ends when all of its bytes are in.
        socket[0] = connect(echo, new byte[size], received -> {
            pending[0] += received;
            if (pending[0] >= size) {
                pending[0] -= size;
                if (rounds.pong()) {
                    rounds.sending();
                    socket[0].send().accept(sent);
                }
            }
        });
        try {
            rounds.sending();
            socket[0].send().accept(sent);
            return rounds.await(10, TimeUnit.MINUTES);
        }
        finally {
            socket[0].close().get().get(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public AutoCloseable idleConnections(InetSocketAddress server, int count) throws Exception {
        List<TCPSocket> sockets = new ArrayList<>(count);
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        AtomicReference<BusinessError> failure = new AtomicReference<>();
        CountDownLatch connected = new CountDownLatch(count);
        TCPConnectOptions options = new TCPConnectOptions(new NetAddress("127.0.0.1", server.getPort()));
        for (int i = 0; i < count && failure.get() == null; i++) {
            inFlight.acquire();
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            sockets.add(socket);
            socket.connect(options, (error, value) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
                connected.countDown();
            });
        }
        if (failure.get() == null && !connected.await(5, TimeUnit.MINUTES)) {
            throw new TimeoutException(connected.getCount() + " of " + count + " connects did not complete");
        }
        if (failure.get() != null) {
            closeAll(sockets);
            throw failure.get();
        }
        return () -> closeAll(sockets);
    }

    /**
     * A {@code TCPSocketServer} whose 'connect' callback plays the role: {@code close()}; a 'message' callback that
     * sends the message's bytes back (one {@code send} per message, callback form); or a 'message' callback that
     * discards, so that the connection reads as a server's would.
     */
    @Override
    public TcpServer tcpServer(ServerRole role) throws Exception {
        Counter accepted = new Counter();
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        // The load counts what comes back; a send that fails as the load closes its connections at the end is no
        // failure of the run.
        AsyncCallback<Void> sent = (error, value) -> {
        };
        Callback<SocketMessageInfo> discard = info -> {
        };
        server.on(TCPSocketServer.CONNECT, connection -> {
            accepted.add(0);
            switch (role) {
                case CLOSE -> connection.close(sent);
                case ECHO -> connection.on(SocketEventType.MESSAGE,
                        info -> connection.send(new TCPSendOptions(info.message()), sent));
                case HOLD -> connection.on(SocketEventType.MESSAGE, discard);
                default -> throw new IllegalStateException(role.name());
            }
        });
        server.listen(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        int port = server.getLocalAddress().get(5, TimeUnit.SECONDS).port();
        return running(port, accepted, () -> server.close().get(30, TimeUnit.SECONDS));
    }

    /**
     * A {@code TLSSocketServer} with the factory's TLS defaults, its 'connect' callback (after the handshake) playing
     * the role as the TCP server's does.
     */
    @Override
    public TcpServer tlsServer(ServerRole role) throws Exception {
        Counter accepted = new Counter();
        TLSSocketServer server = this.factory.constructTLSSocketServerInstance();
        AsyncCallback<Void> ignored = (error, value) -> {
        };
        Callback<SocketMessageInfo> discard = info -> {
        };
        server.on(TLSSocketServer.CONNECT, connection -> {
            accepted.add(0);
            switch (role) {
                case CLOSE -> connection.close(ignored);
                case ECHO -> connection.on(SocketEventType.MESSAGE, info -> connection.send(info.message(), ignored));
                case HOLD -> connection.on(SocketEventType.MESSAGE, discard);
                default -> throw new IllegalStateException(role.name());
            }
        });
        server.listen(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), null)).get(5, TimeUnit.SECONDS);
        int port = server.getLocalAddress().get(5, TimeUnit.SECONDS).port();
        return running(port, accepted, () -> server.close().get(30, TimeUnit.SECONDS));
    }

    private static TcpServer running(int port, Counter accepted, Closing closing) {
        return new TcpServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public Counter accepted() {
                return accepted;
            }

            @Override
            public String threadName() {
                return "engine-io-";
            }

            @Override
            public void close() throws Exception {
                closing.close();
            }
        };
    }

    /** How a server closes. */
    private interface Closing {

        void close() throws Exception;

    }

    @Override
    public UdpSender udpSender(InetSocketAddress target, int size) throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        // One options object for every send, as a careful application would keep it.
        UDPSendOptions options = new UDPSendOptions(new byte[size], new NetAddress("127.0.0.1", target.getPort()));
        return new EngineUdpSender(socket, options);
    }

    /**
     * Opens a UDP sender that uses the promise form ({@code CompletableFuture}) instead of callbacks.
     * @param target where to
     * @param size the payload size
     * @return the sender
     * @throws Exception when it cannot be set up
     */
    public UdpSender udpFutureSender(InetSocketAddress target, int size) throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        UDPSendOptions options = new UDPSendOptions(new byte[size], new NetAddress("127.0.0.1", target.getPort()));
        return new UdpSender() {
            @Override
            public void sendAndAwait(int count) throws Exception {
                CompletableFuture<Void> last = null;
                for (int i = 0; i < count; i++) {
                    last = socket.send(options);
                }
                // Sends complete in call order: the last one done means all are done.
                if (last != null) {
                    last.get(10, TimeUnit.SECONDS);
                }
            }

            @Override
            public void close() throws Exception {
                socket.close().get(5, TimeUnit.SECONDS);
            }
        };
    }

    /**
     * Connects a TCP socket, or a local socket for a {@code UnixDomainSocketAddress}, whose sends all send
     * {@code payload}.
     * @param received told the size of every 'message', or {@code null}
     */
    private Stream connect(SocketAddress target, Object payload, IntConsumer received) throws Exception {
        if (target instanceof UnixDomainSocketAddress local) {
            LocalSocket socket = this.factory.constructLocalSocketInstance();
            if (received != null) {
                socket.on(LocalSocket.MESSAGE, info -> received.accept(info.size()));
            }
            socket.connect(new LocalConnectOptions(new LocalAddress(local.getPath().toString()))).get(10, TimeUnit.SECONDS);
            LocalSendOptions options = new LocalSendOptions(payload);
            return new Stream(callback -> socket.send(options, callback), socket::close);
        }
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        if (received != null) {
            socket.on(SocketEventType.MESSAGE, info -> received.accept(info.size()));
        }
        int port = ((InetSocketAddress) target).getPort();
        socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", port))).get(10, TimeUnit.SECONDS);
        TCPSendOptions options = new TCPSendOptions(payload);
        return new Stream(callback -> socket.send(options, callback), socket::close);
    }

    /** A connected stream socket of either kind: its send of the one payload, and its close. */
    private record Stream(Consumer<AsyncCallback<Void>> send, Supplier<CompletableFuture<Void>> close) {
    }

    private static AsyncCallback<Void> logFailures() {
        return (error, value) -> {
            if (error != null) {
                System.err.println("operation failed: " + error);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static AsyncCallback<Void>[] newCallbackHolder() {
        return (AsyncCallback<Void>[]) new AsyncCallback<?>[1];
    }

    private static void closeAll(List<TCPSocket> sockets) throws Exception {
        List<CompletableFuture<Void>> closing = new ArrayList<>(sockets.size());
        for (TCPSocket socket : sockets) {
            closing.add(socket.close());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        this.factory.close();
    }

    /** Sends through the callback form and waits on a counter of completions. */
    private static final class EngineUdpSender implements UdpSender {

        private final UDPSocket socket;

        private final UDPSendOptions options;

        private final AtomicLong completed = new AtomicLong();

        private final AtomicReference<BusinessError> failure = new AtomicReference<>();

        private final AsyncCallback<Void> callback;

        private long issued;

        EngineUdpSender(UDPSocket socket, UDPSendOptions options) {
            this.socket = socket;
            this.options = options;
            this.callback = (error, value) -> {
                if (error != null) {
                    this.failure.compareAndSet(null, error);
                }
                this.completed.incrementAndGet();
            };
        }

        @Override
        public void sendAndAwait(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                this.socket.send(this.options, this.callback);
            }
            this.issued += count;
            Waits.until(() -> this.completed.get() >= this.issued, "engine UDP sends");
            if (this.failure.get() != null) {
                throw this.failure.get();
            }
        }

        @Override
        public void close() throws Exception {
            this.socket.close().get(5, TimeUnit.SECONDS);
        }

    }

}
