package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSocket;

/**
 * The {@link SocketFactory} of the NIO engine: owns the event loops, the host-name resolver and every socket it made.
 *
 * <p>Use {@link #create()} without Spring. {@link #close()} closes every socket (each flushes its accepted sends,
 * bounded by the shutdown timeout, and emits 'close') and then stops the threads.
 */
public final class NioSocketFactory implements SocketFactory, AutoCloseable {

    private static final System.Logger logger = System.getLogger(NioSocketFactory.class.getName());

    private final SocketSettings settings;

    private final EventLoopGroup loops;

    private final SocketStats stats = new SocketStats();

    private final Dispatcher dispatcher;

    private final HostResolver resolver;

    private final Map<Long, NioSocket> sockets = new ConcurrentHashMap<>();

    private final AtomicLong nextId = new AtomicLong(1);

    private volatile boolean closed;

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

    private <S extends NioSocket> S register(S socket) {
        socket.stats().opened();
        this.sockets.put(socket.id(), socket);
        if (this.closed) {
            // Made after close(): born closed, so that every operation fails with 2301009 instead of hanging.
            socket.close();
        }
        return socket;
    }

    void unregister(NioSocket socket) {
        this.sockets.remove(socket.id());
    }

    /**
     * Returns the sockets not yet closed.
     * @return a live, unmodifiable view
     */
    public Collection<NioSocket> sockets() {
        return Collections.unmodifiableCollection(this.sockets.values());
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
        CompletableFuture<?>[] closing = this.sockets.values().stream().map(NioSocket::close).toArray(CompletableFuture[]::new);
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
        this.resolver.close();
        logger.log(Level.INFO, "Socket factory stopped");
        return flushed && stopped;
    }

}
