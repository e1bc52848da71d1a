package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPExtraOptions;

/**
 * The accept path that every server shares: a listening {@link ServerSocketChannel} on one event loop that accepts
 * a bounded number of connections per wake-up, checks each against the connection limit and the peer policy, and
 * hands it to a connection on the next loop of the factory, where the server's 'connect' callbacks receive it before
 * anything is read.
 *
 * <p>When accept fails for want of descriptors, the server emits 'error', stops accepting for a short back-off that
 * doubles while the failure repeats, then accepts again: never a busy loop, never a dead server.
 *
 * @param <C> the kind of connection this server makes
 */
public abstract class NioServerSocket<C extends NioStreamSocket> extends NioSocket implements ChannelHandler {

    private static final System.Logger logger = Loggers.of(NioServerSocket.class);

    /** Accepts per wake-up, so that a connection storm cannot starve the loop's other channels. */
    static final int ACCEPTS_PER_WAKEUP = 64;

    /** Backlog of the listening socket: the kernel caps it at somaxconn. */
    static final int BACKLOG = 1024;

    static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Protocol protocol;

    /** The totals of the servers without a name; a named server counts in its own from {@link #name(String)} on. */
    private volatile ServerStats serverStats;

    /** The framing of every new connection, or {@code null}. */
    private volatile Framing connectionFraming;

    /** The name a declaration gave this server (Spring's {@code socket.servers.<name>}), or {@code null}. */
    private volatile String name;

    /**
     * Connections accepted and not yet closed. The factory's set of open sockets is their one record (a set of their
     * own would cost every connection a second hash node): this count spares the limit check a traversal of it.
     */
    private final AtomicInteger open = new AtomicInteger();

    /** The local and peer addresses of the connections, shared where they repeat. */
    private final AcceptedAddresses addresses = new AcceptedAddresses();

    // Loop only.
    private ServerSocketChannel channel;

    private SelectionKey key;

    private LoopTimer backoffTimer;

    private long backoffNanos;

    /** A seam for tests: this many accept calls fail as if no descriptor were left. Loop only. */
    private int failAccepts;

    NioServerSocket(long id, EventLoop loop, NioSocketFactory factory, Protocol protocol) {
        super(id, loop, factory, protocol);
        this.protocol = protocol;
        this.serverStats = factory.stats().server(protocol);
    }

    /**
     * Returns the name of this server.
     * @return the name its declaration gave it, or {@code null}
     */
    @Override
    public String name() {
        return this.name;
    }

    /**
     * Names this server, before it listens: its events and meters carry the name, and
     * {@link NioSocketFactory#server(String)} finds it.
     * @param name a name unique within the factory
     * @throws IllegalStateException when the name is taken, or the server has a name or listens already
     */
    public void name(String name) {
        if (this.name != null || localAddress() != null) {
            throw new IllegalStateException(this + " is named or listening already");
        }
        this.serverStats = this.factory.nameServer(name, this);
        this.name = name;
    }

    /**
     * Returns the totals of this server's connections: its own when it has a name, else those shared by the
     * factory's servers without one.
     * @return the totals
     */
    public ServerStats serverStats() {
        return this.serverStats;
    }

    /**
     * Returns the connections of this server that are open now.
     * @return a live, unmodifiable view of the factory's open sockets that this server accepted; its size is the
     * count of open connections, which the limit uses
     */
    public Collection<C> connections() {
        return new AbstractCollection<>() {
            @Override
            @SuppressWarnings("unchecked")
            public Iterator<C> iterator() {
                // Only this server's connections pass the filter, and it makes connections of type C only.
                return NioServerSocket.this.factory.sockets().stream()
                    .filter((socket) -> socket.server() == NioServerSocket.this)
                    .map((socket) -> (C) socket)
                    .iterator();
            }

            @Override
            public int size() {
                return NioServerSocket.this.open.get();
            }
        };
    }

    /**
     * Returns the most connections this server keeps open at once.
     * @return the limit from {@code socket.server.max-connections}
     */
    public int maxConnections() {
        return this.factory.settings().maxConnections();
    }

    @Override
    public Protocol protocol() {
        return this.protocol;
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public SocketStateBase state() {
        SocketStateBase base = super.state();
        return new SocketStateBase(base.isBound(), base.isClose(), this.open.get() > 0);
    }

    @Override
    String kind() {
        return protocol().name() + " server" + ((this.name != null) ? " '" + this.name + "'" : "");
    }

    /** A server is bound by listen(), not bind(): before it, the message names the call to make. */
    @Override
    public void getLocalAddress(AsyncCallback<NetAddress> callback) {
        Callbacks.requireCallback(callback);
        if (!isCloseRequested() && localAddress() == null) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND, kind() + " is not listening: call listen() first"));
            return;
        }
        super.getLocalAddress(callback);
    }

    // ---- listen

    /**
     * Loop only: opens, binds and registers the listening channel.
     * @param local where to listen
     * @param callback receives the result
     */
    void listenOnLoop(SocketAddress local, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed()) {
            fail(callback, new BusinessError(BusinessError.SERVER_CLOSED, "server is closed: make a new one"));
            return;
        }
        if (this.channel != null) {
            fail(callback, new BusinessError(BusinessError.SERVER_ALREADY_LISTENING,
                    "server is already listening on " + describe(localAddressObject())));
            return;
        }
        ServerSocketChannel opened = null;
        try {
            opened = openServerChannel(local);
            opened.configureBlocking(false);
            opened.bind(local, BACKLOG);
            this.key = this.loop.register(opened, SelectionKey.OP_ACCEPT, this);
        }
        catch (IOException | RuntimeException ex) {
            Channels.closeQuietly(opened);
            BusinessError error = Errors.io("listen on " + describe(local), ex);
            fail(callback, new BusinessError(serverCode(error.getCode()), error.getMessage(), ex));
            return;
        }
        this.channel = opened;
        listening(opened);
        logger.log(Level.INFO, () -> this + " listening on " + describe(localAddressObject()));
        // Observers only (a server has no 'listening' callback): Spring publishes its listening event from this.
        emit(SocketEventType.LISTENING, null);
        succeed(callback, null);
    }

    /**
     * Opens the listening channel of the address's family, with the options that must precede bind.
     * @param local the address it will bind to
     * @return the open channel, not yet bound
     * @throws IOException when the system refuses
     */
    abstract ServerSocketChannel openServerChannel(SocketAddress local) throws IOException;

    /**
     * Loop only: records the address the listening channel is bound to.
     * @param listening the bound channel
     */
    abstract void listening(ServerSocketChannel listening);

    /**
     * Returns the bound address for messages, or {@code null}.
     * @return the address
     */
    abstract Object localAddressObject();

    /**
     * Formats an address for messages and logs.
     * @param address an address of this kind
     * @return its text
     */
    abstract String describe(Object address);

    /**
     * Returns the code of a listen or accept failure.
     * @param code the system code, 2301000 + errno
     * @return the reference's server code, 2303100 + errno ({@link Errors#serverCode})
     */
    int serverCode(int code) {
        return Errors.serverCode(code);
    }

    // ---- accept

    @Override
    public void handleReady(SelectionKey ready, int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && this.channel != null; i++) {
            SocketChannel accepted;
            try {
                accepted = accept();
            }
            catch (IOException | RuntimeException ex) {
                acceptFailed(ex);
                return;
            }
            if (accepted == null) {
                break;
            }
            this.backoffNanos = 0;
            admit(accepted);
        }
    }

    private SocketChannel accept() throws IOException {
        if (this.failAccepts > 0) {
            this.failAccepts--;
            throw new IOException("Too many open files (failAccepts)");
        }
        return this.channel.accept();
    }

    /**
     * Makes the next accept calls fail as when the process has no descriptor left. A seam for tests only.
     * @param count how many calls fail
     */
    void failNextAccepts(int count) {
        this.loop.execute(() -> this.failAccepts = count);
    }

    /**
     * Reports an accept failure and pauses accepting for a back-off that doubles while failures repeat: a process
     * out of descriptors would otherwise be woken for the same pending connection in a busy loop.
     */
    private void acceptFailed(Exception ex) {
        BusinessError io = Errors.io("accept on " + describe(localAddressObject()), ex);
        BusinessError error = new BusinessError(serverCode(io.getCode()), io.getMessage(), ex);
        this.backoffNanos = (this.backoffNanos == 0) ? FIRST_BACKOFF_NANOS
                : Math.min(MAX_BACKOFF_NANOS, this.backoffNanos * 2);
        long pause = this.backoffNanos;
        logger.log(Level.WARNING, () -> this + ": " + error.getMessage() + "; accepting again in "
                + TimeUnit.NANOSECONDS.toMillis(pause) + " ms");
        if (this.key != null && this.key.isValid()) {
            this.key.interestOps(0);
        }
        this.backoffTimer = this.loop.schedule(pause, TimeUnit.NANOSECONDS, this::resumeAccepting);
        emit(SocketEventType.ERROR, error);
    }

    private void resumeAccepting() {
        this.backoffTimer = null;
        if (this.key != null && this.key.isValid()) {
            this.key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /**
     * Checks an accepted channel against the limit and the policy, then hands it to a new connection on the next
     * loop. A refused channel is reset, so the peer learns at once, and counted.
     */
    private void admit(SocketChannel accepted) {
        if (this.open.get() >= maxConnections()) {
            reject(accepted, ServerStats.Reason.LIMIT);
            return;
        }
        if (!permits(accepted)) {
            reject(accepted, ServerStats.Reason.POLICY);
            return;
        }
        EventLoop target = this.factory.eventLoops().next();
        C connection;
        // Counted before the connection exists: one that closes at once (its factory is closing) leaves the count
        // from another thread, and must not take it below zero.
        this.open.incrementAndGet();
        try {
            accepted.configureBlocking(false);
            connection = newConnection(target);
        }
        catch (IOException | RuntimeException ex) {
            this.open.decrementAndGet();
            logger.log(Level.WARNING, this + " could not take a connection; it is closed", ex);
            Channels.closeQuietly(accepted);
            return;
        }
        this.serverStats.countAccepted();
        // Handed over as a task of the connection's loop, which owns its channel from now on.
        if (!target.tryExecute(() -> adopt(connection, accepted))) {
            // The factory is stopping: the connection never lived; leaving the factory's books ends its count.
            Channels.closeQuietly(accepted);
            connection.close();
        }
    }

    private void reject(SocketChannel accepted, ServerStats.Reason reason) {
        this.serverStats.countRejected(reason);
        Channels.resetOnClose(accepted);
        Channels.closeQuietly(accepted);
        logger.log(Level.DEBUG, () -> this + " refused a connection: " + reason.tag());
    }

    /**
     * Tells whether the peer of an accepted channel may connect.
     * @param accepted the channel
     * @return {@code false} to reset it at once
     */
    abstract boolean permits(SocketChannel accepted);

    /**
     * Makes the connection object of an accepted channel; the channel is attached to it on its loop later.
     * @param target the loop the connection lives on
     * @return the connection, registered in the factory's books
     */
    abstract C newConnection(EventLoop target);

    /**
     * On the connection's loop: attaches the channel, then hands the connection to the 'connect' callbacks, before
     * anything is read: the callbacks run in this task, and reads start only on a later select.
     */
    private void adopt(C connection, SocketChannel accepted) {
        if (!StreamOptions.adoptChannel(connection, accepted, this.addresses)) {
            return;
        }
        Framing framing = this.connectionFraming;
        if (framing != null) {
            // On the connection's loop: applies at once, from its first byte.
            connection.setFraming(framing);
        }
        adopted(connection);
    }

    /**
     * On the connection's loop: the connection has its channel; hands it to the 'connect' callbacks, at once or,
     * for a kind that secures it first, once it is ready ({@link #announce}).
     * @param connection the connection
     */
    void adopted(C connection) {
        announce(connection);
    }

    /**
     * On the connection's loop: emits 'connect' with the connection, as the application holds it, as the payload.
     * @param connection the connection
     */
    @SuppressWarnings("unchecked")
    final void announce(C connection) {
        emit((SocketEventType<Object>) connectEventType(), connection.apiSocket());
    }

    /**
     * Gives every connection accepted from now on a framing, before its 'connect' callbacks and its first byte: how
     * a declared server's {@code framing} applies.
     * @param framing the framing, or {@code null} for one message per read
     */
    public void connectionFraming(Framing framing) {
        this.connectionFraming = framing;
    }

    /**
     * Returns this server's typed 'connect' event.
     * @return e.g. {@code TCPSocketServer.CONNECT}, whose payload is the connection's {@link #apiSocket()}
     */
    abstract SocketEventType<?> connectEventType();

    /**
     * Called by the factory once, when a connection of this server leaves its books (closed, on any thread).
     */
    void connectionClosed() {
        this.open.decrementAndGet();
        this.serverStats.countClosed();
    }

    @Override
    boolean emits(SocketEventType<?> type) {
        return type == connectEventType() || type == SocketEventType.ERROR;
    }

    /**
     * Loop only: applies an options update to every open connection, each on its own loop, and completes the
     * callback once all of them have.
     * @param update the options, checked
     * @param callback receives the result
     */
    void applyToConnections(TCPExtraOptions update, AsyncCallback<Void> callback) {
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        for (C connection : connections()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            applied.add(done);
            AsyncCallback<Void> completion = (error, value) -> done.complete(null);
            connection.onLoop(() -> connection.applyOnLoop(update, completion), completion);
        }
        CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new))
            .whenComplete((done, error) -> succeed(callback, null));
        logger.log(Level.DEBUG, () -> this + " options " + update + " applied to " + applied.size() + " connections");
    }

    // ---- close

    @Override
    void beginClose() {
        finishClose();
    }

    @Override
    void sendOnLoop(PendingSend send) {
        fail(send, Errors.parameter("a server does not send"));
    }

    @Override
    long sendQueueLimit() {
        return 0;
    }

    @Override
    void closeChannel() {
        if (this.name != null) {
            this.factory.forgetServer(this.name, this);
        }
        this.loop.cancel(this.backoffTimer);
        this.backoffTimer = null;
        if (this.key != null) {
            this.key.cancel();
            this.key = null;
        }
        Channels.closeQuietly(this.channel);
        this.channel = null;
    }

    @Override
    public void loopStopped() {
        finishClose();
    }

    @Override
    public void keyChanged(SelectionKey changed) {
        this.key = changed;
    }

    /**
     * Returns the listening channel, for options. Loop only.
     * @return the channel, or {@code null} when not listening
     */
    ServerSocketChannel listeningChannel() {
        return this.channel;
    }

}
