package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.UDPSocket;

/**
 * The {@link SocketFactory} of the NIO engine: owns the event loops, the host-name resolver and every socket it made.
 *
 * <p>Use {@link #create()} without Spring. {@link #close()} closes every socket (each flushes its accepted sends,
 * host-name look-ups included, bounded by the shutdown timeout, and emits 'close') and then stops the threads;
 * every operation accepted before or during the close completes, with its result or with 2301009.
 */
public final class NioSocketFactory implements SocketFactory, AutoCloseable {

    private static final System.Logger logger = Loggers.of(NioSocketFactory.class);

    private final SocketSettings settings;

    private final EventLoopGroup loops;

    private final SocketStats stats = new SocketStats();

    private final Dispatcher dispatcher;

    private final HostResolver resolver;

    /** The open sockets, by identity: a set spares each socket a boxed id as its key. */
    private final Set<NioSocket> sockets = ConcurrentHashMap.newKeySet();

    private final AtomicLong nextId = new AtomicLong(1);

    /** Servers by the name their declaration gave them. */
    private final Map<String, NioServerSocket<?>> namedServers = new ConcurrentHashMap<>();

    /** The totals of each name, kept after its server closes so that the meters never count backwards. */
    private final Map<String, ServerStats> namedServerStats = new ConcurrentHashMap<>();

    /** The reference's {@code clientId}: from 1, never reused, across every server of the factory. */
    private final AtomicInteger nextClientId = new AtomicInteger(1);

    private final AtomicBoolean closed = new AtomicBoolean();

    /** The outcome of the first close(), which every later close() reports. */
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();

    /**
     * Starts a factory with the given settings.
     * @param settings the settings
     */
    public NioSocketFactory(SocketSettings settings) {
        this(settings, HostResolver.SYSTEM);
    }

    /**
     * Starts a factory that looks host names up with {@code lookup}: a seam for tests, which cannot make the system
     * resolver slow, stuck or counted on demand.
     * @param settings the settings
     * @param lookup turns a host name into addresses
     */
    NioSocketFactory(SocketSettings settings, HostResolver.Lookup lookup) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(this.stats, settings.observers().toArray(new SocketObserver[0]));
        this.resolver = new HostResolver(settings.threadNamePrefix(), lookup);
        this.loops = new EventLoopGroup(settings.ioThreads(), settings.threadNamePrefix(), this.stats);
        logger.log(Level.INFO, () -> "Socket factory started with " + settings.ioThreads() + " event loop threads");
    }

    /**
     * Starts a factory with the default settings.
     * @return the factory; close it when done
     */
    public static NioSocketFactory create() {
        return new NioSocketFactory(SocketSettings.defaults());
    }

    /**
     * Starts a factory with the given settings.
     * @param settings the settings
     * @return the factory; close it when done
     */
    public static NioSocketFactory create(SocketSettings settings) {
        return new NioSocketFactory(settings);
    }

    @Override
    public UDPSocket constructUDPSocketInstance() {
        return register(new NioUDPSocket(this.nextId.getAndIncrement(), this.loops.next(), this));
    }

    @Override
    public TCPSocket constructTCPSocketInstance() {
        return register(new NioTCPSocket(this.nextId.getAndIncrement(), this.loops.next(), this));
    }

    @Override
    public TCPSocketServer constructTCPSocketServerInstance() {
        return register(new NioTCPSocketServer(this.nextId.getAndIncrement(), this.loops.next(), this));
    }

    @Override
    public TLSSocket constructTLSSocketInstance() {
        return register(new NioTLSSocket(this.nextId.getAndIncrement(), this.loops.next(), this, false));
    }

    /**
     * Takes over a connected TCP socket of this factory (STARTTLS), as {@link SocketFactory} says: the checks are
     * made now, on the caller's thread; the connection moves on the TCP socket's loop, behind the calls made on it
     * before, and the TLS socket lives on that loop.
     */
    @Override
    public TLSSocket constructTLSSocketInstance(TCPSocket tcpSocket) {
        if (tcpSocket == null) {
            throw Errors.parameter("tcpSocket must not be null");
        }
        if (!(tcpSocket instanceof NioTCPSocket tcp) || tcp.factory != this) {
            throw new BusinessError(BusinessError.TLS_INVALID_SOCKET,
                    "tcpSocket " + tcpSocket + " was not made by this factory: it has no connection here to take");
        }
        if (tcp.isCloseRequested() || !(tcp.hasState(NioSocket.CONNECTED) || tcp.hasState(NioSocket.BOUND))) {
            throw new BusinessError(BusinessError.TLS_INVALID_SOCKET, "tcpSocket " + tcp
                    + " has no connection: it is " + (tcp.isCloseRequested() ? "closed or upgraded already"
                            : "neither bound nor connected"));
        }
        if (!tcp.hasState(NioSocket.CONNECTED)) {
            throw new BusinessError(BusinessError.TLS_SOCKET_NOT_CONNECTED,
                    "tcpSocket " + tcp + " is not connected: connect() it before the upgrade");
        }
        NioTLSSocket tls = register(new NioTLSSocket(this.nextId.getAndIncrement(), tcp.loop, this, true));
        if (!tcp.loop.tryExecute(() -> tcp.upgradeTo(tls))) {
            tls.close();
        }
        return tls;
    }

    @Override
    public TLSSocketServer constructTLSSocketServerInstance() {
        return register(new NioTLSSocketServer(this.nextId.getAndIncrement(), this.loops.next(), this));
    }

    @Override
    public MulticastSocket constructMulticastSocketInstance() {
        return register(new NioMulticastSocket(this.nextId.getAndIncrement(), this.loops.next(), this));
    }

    /**
     * Makes the connection of a channel that a server accepted, on the loop it will live on.
     * @param server the server
     * @param loop the connection's loop
     * @return the connection, in the factory's books
     */
    NioTCPSocketConnection registerConnection(NioTCPSocketServer server, EventLoop loop) {
        return register(new NioTCPSocketConnection(this.nextId.getAndIncrement(), loop, this, server,
                this.nextClientId.getAndIncrement()));
    }

    NioTLSSocketConnection registerConnection(NioTLSSocketServer server, EventLoop loop) {
        return register(new NioTLSSocketConnection(this.nextId.getAndIncrement(), loop, this, server,
                this.nextClientId.getAndIncrement()));
    }

    private <S extends NioSocket> S register(S socket) {
        socket.stats().opened();
        this.sockets.add(socket);
        if (this.closed.get()) {
            // Made after close(): born closed, so that every operation fails with 2301009 instead of hanging.
            socket.close();
        }
        return socket;
    }

    /**
     * Returns a named server.
     * @param name the name given by {@link NioServerSocket#name(String)}
     * @return the server, or {@code null} when none has that name or it has closed
     */
    public NioServerSocket<?> server(String name) {
        return this.namedServers.get(name);
    }

    /**
     * Returns the totals of the servers that had a name, made on first use so that meters can be bound before the
     * server exists.
     * @param name the server's name
     * @return the totals
     */
    public ServerStats serverStats(String name) {
        return this.namedServerStats.computeIfAbsent(name, (unused) -> new ServerStats());
    }

    ServerStats nameServer(String name, NioServerSocket<?> server) {
        if (this.namedServers.putIfAbsent(name, server) != null) {
            throw new IllegalStateException("a server named '" + name + "' exists already");
        }
        return serverStats(name);
    }

    void forgetServer(String name, NioServerSocket<?> server) {
        this.namedServers.remove(name, server);
    }

    void unregister(NioSocket socket) {
        this.sockets.remove(socket);
    }

    /**
     * Returns the sockets not yet closed.
     * @return a live, unmodifiable view
     */
    public Collection<NioSocket> sockets() {
        return Collections.unmodifiableCollection(this.sockets);
    }

    /**
     * Returns the running totals of this factory's sockets.
     * @return the totals
     */
    public SocketStats stats() {
        return this.stats;
    }

    /**
     * Returns the event loops.
     * @return the loops
     */
    public EventLoopGroup eventLoops() {
        return this.loops;
    }

    /**
     * Returns the settings the factory was started with.
     * @return the settings
     */
    public SocketSettings settings() {
        return this.settings;
    }

    Dispatcher dispatcher() {
        return this.dispatcher;
    }

    HostResolver resolver() {
        return this.resolver;
    }

    /**
     * Tells whether {@link #close()} was called.
     * @return whether the factory is closed
     */
    public boolean isClosed() {
        return this.closed.get();
    }

    /**
     * Closes every socket and stops the threads, waiting up to the settings' shutdown timeout.
     */
    @Override
    public void close() {
        close(this.settings.shutdownTimeout());
    }

    /**
     * Closes every socket, letting each flush its accepted sends (host-name look-ups included) for up to
     * {@code timeout}, then stops the threads. Look-ups that have not ended by then, and the operations behind them,
     * fail with 2301009, as do sends still queued. A closing thread that is interrupted still waits; its interrupt is
     * kept.
     *
     * <p>Idempotent: a second call, also one made while the first runs, waits for the first and returns its
     * outcome. On an event loop thread of this factory (in a socket callback) it never waits, since that loop runs
     * the closes it would wait for: the shutdown goes on in a thread of its own (named after the loops, with
     * {@code shutdown}), and the call returns {@code false} at once, unless an earlier close had already ended, in
     * which case it returns that outcome. A later call from another thread waits for that shutdown and tells its
     * outcome.
     * @param timeout how long to wait for the sockets, and then at most a second more for the threads
     * @return whether everything ended within the timeout
     */
    public boolean close(Duration timeout) {
        boolean onLoop = this.loops.inEventLoop();
        if (!this.closed.compareAndSet(false, true)) {
            // join() waits through interrupts and keeps them.
            return onLoop ? this.terminated.getNow(false) : this.terminated.join();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        if (onLoop) {
            // Waiting here would block the very loop that must run the closes and flush the sends: the wait moves
            // to a thread of its own, not a daemon, so that the JVM does not end before the sends are out.
            Thread shutdown = new Thread(() -> shutdown(deadline, timeout),
                    this.settings.threadNamePrefix() + "shutdown");
            shutdown.setDaemon(false);
            shutdown.start();
            return false;
        }
        return shutdown(deadline, timeout);
    }

    private boolean shutdown(long deadline, Duration timeout) {
        boolean outcome = false;
        try {
            // Servers first and to the end: once they stop accepting, no connection arrives while the others flush.
            boolean flushed = Uninterruptibly.await(closeAll(NioServerSocket.class::isInstance), deadline);
            flushed &= Uninterruptibly.await(closeAll((socket) -> true), deadline);
            if (!flushed) {
                logger.log(Level.WARNING, "Sockets did not finish sending within " + timeout + "; closing them anyway");
            }
            // A look-up stuck in the system resolver cannot be stopped: what waits behind it fails now instead, and
            // reaches the loops before they stop.
            this.resolver.close();
            // Stopping a loop closes whatever it still serves, failing the sends that did not get out.
            boolean stopped = this.loops.shutdown(Math.max(deadline, System.nanoTime()) + TimeUnit.SECONDS.toNanos(1));
            logger.log(Level.INFO, "Socket factory stopped");
            outcome = flushed && stopped;
        }
        finally {
            this.terminated.complete(outcome);
        }
        return outcome;
    }

    /** Starts closing the sockets that match; completes when all of them have closed. */
    private CompletableFuture<Void> closeAll(Predicate<NioSocket> which) {
        return CompletableFuture.allOf(this.sockets.stream().filter(which).map(NioSocket::close)
            .toArray(CompletableFuture[]::new));
    }

}
