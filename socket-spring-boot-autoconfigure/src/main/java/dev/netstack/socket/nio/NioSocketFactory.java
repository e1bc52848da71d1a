package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.UDPSocket;

/**
 * The {@link SocketFactory} of the NIO engine: owns the event loops, the host-name resolver and every socket it made.
 *
 * <p>Use {@link #create()} without Spring. {@link #close()} closes every socket (each flushes its accepted sends,
 * bounded by the shutdown timeout, and emits 'close') and then stops the threads.
 */
public final class NioSocketFactory implements SocketFactory, AutoCloseable {

    private static final System.Logger logger = System.getLogger(NioSocketFactory.class.getName());

    /** Host-name look-ups in flight at once; more wait in a bounded queue. */
    private static final int RESOLVER_THREADS = 4;

    private static final int RESOLVER_QUEUE = 1024;

    private final SocketSettings settings;

    private final EventLoopGroup loops;

    private final SocketStats stats = new SocketStats();

    private final Dispatcher dispatcher;

    private final ThreadPoolExecutor resolver;

    /** The open sockets, by identity: a set spares each socket a boxed id as its key. */
    private final Set<NioSocket> sockets = ConcurrentHashMap.newKeySet();

    private final AtomicLong nextId = new AtomicLong(1);

    /** Servers by the name their declaration gave them. */
    private final Map<String, NioServerSocket<?>> namedServers = new ConcurrentHashMap<>();

    /** The totals of each name, kept after its server closes so that the meters never count backwards. */
    private final Map<String, ServerStats> namedServerStats = new ConcurrentHashMap<>();

    /** The reference's {@code clientId}: from 1, never reused, across every server of the factory. */
    private final AtomicInteger nextClientId = new AtomicInteger(1);

    private volatile boolean closed;

    /**
     * Starts a factory with the given settings.
     * @param settings the settings
     */
    public NioSocketFactory(SocketSettings settings) {
        this.settings = settings;
        this.dispatcher = new Dispatcher(this.stats, settings.observers().toArray(new SocketObserver[0]));
        this.resolver = newResolver(settings.threadNamePrefix());
        this.loops = new EventLoopGroup(settings.ioThreads(), settings.threadNamePrefix());
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

    private <S extends NioSocket> S register(S socket) {
        socket.stats().opened();
        this.sockets.add(socket);
        if (this.closed) {
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

    Executor resolver() {
        return this.resolver;
    }

    /**
     * Tells whether {@link #close()} was called.
     * @return whether the factory is closed
     */
    public boolean isClosed() {
        return this.closed;
    }

    /**
     * Closes every socket and stops the threads, waiting up to the settings' shutdown timeout.
     */
    @Override
    public void close() {
        close(this.settings.shutdownTimeout());
    }

    /**
     * Closes every socket, letting each flush its accepted sends for up to {@code timeout}, then stops the threads.
     * Sends still queued after that fail with 2301009. Idempotent.
     * @param timeout how long to wait for the sockets and then for the threads
     * @return whether everything ended within the timeout
     */
    public boolean close(Duration timeout) {
        if (this.closed) {
            return true;
        }
        this.closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<?>[] closing = this.sockets.stream().map(NioSocket::close).toArray(CompletableFuture[]::new);
        boolean flushed = true;
        try {
            CompletableFuture.allOf(closing).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            flushed = false;
            logger.log(Level.WARNING, "Sockets did not finish sending within " + timeout + "; closing them anyway");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            flushed = false;
        }
        // Stopping a loop closes whatever it still serves, failing the sends that did not get out.
        boolean stopped = this.loops.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(1));
        this.resolver.shutdownNow();
        logger.log(Level.INFO, "Socket factory stopped");
        return flushed && stopped;
    }

    private static ThreadPoolExecutor newResolver(String threadNamePrefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(RESOLVER_QUEUE), task -> {
                    Thread thread = new Thread(task, threadNamePrefix + "resolver-" + count.incrementAndGet());
                    // Daemon: a look-up stuck in the system resolver must not keep the JVM alive.
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

}
