package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.NetSocket;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

/**
 * What every socket of the engine shares: its event loop, state, callbacks, close sequence, and the figures that
 * integrations (events, meters, the Actuator endpoint) read.
 *
 * <p>Threading: the channel and everything marked "loop only" are touched only on {@link #loop}. State that other
 * threads read ({@code getState}, the local address, "close requested") is kept in volatile fields written there.
 */
public abstract class NioSocket extends LoopSocket implements NetSocket {

    private static final System.Logger logger = Loggers.of(NioSocket.class);

    static final int BOUND = 1;

    static final int CONNECTED = 2;

    static final int CLOSED = 4;

    private final long id;

    /**
     * Nanoseconds since the epoch (a long lasts until 2262): the clock's full precision without an {@code Instant}
     * object kept by every socket.
     */
    private final long openedAtNanos = epochNanos(Instant.now());

    private final ProtocolStats stats;

    /** This loop's share of the protocol's traffic totals. */
    private final LoopCounters traffic;

    private volatile int state;

    /** Set by the first {@code close()}: from then on every new operation fails, while accepted sends still flush. */
    private volatile boolean closeRequested;

    private volatile NetAddress localAddress;

    /** Set when the socket handed its connection on (a TCP socket upgraded to TLS): all but getState fail. */
    private volatile boolean retired;

    /** 0, then 1 once the socket has left its factory's books; a field updater spares an object per socket. */
    private volatile int leftBooks;

    private static final AtomicIntegerFieldUpdater<NioSocket> LEFT_BOOKS = AtomicIntegerFieldUpdater
        .newUpdater(NioSocket.class, "leftBooks");

    /** Calls of suspendReading() not yet matched by resumeReading(): reading is off while above 0. */
    private volatile int readHolds;

    private static final AtomicIntegerFieldUpdater<NioSocket> READ_HOLDS = AtomicIntegerFieldUpdater
        .newUpdater(NioSocket.class, "readHolds");
    /**
     * What the sends accepted and not yet completed hold in memory, kept by {@link PendingSend} on the callers'
     * threads. A field updated through a field updater rather than an atomic object: an idle socket pays 8 bytes.
     */
    volatile long sendCharge;

    // Written on the loop only; other threads may read a slightly old value, which monitoring tolerates.
    private long bytesReceived;

    private long bytesSent;

    /** Loop only: callers of close() waiting for the flush to end and then for 'close'. */
    private List<AsyncCallback<Void>> closeWaiters;

    /** Loop only: 'close' has been emitted, so a close() from now on succeeds at once. */
    private boolean closeReported;

    NioSocket(long id, EventLoop loop, NioSocketFactory factory, Protocol protocol) {
        super(loop, factory);
        this.id = id;
        this.stats = factory.stats().of(protocol);
        this.traffic = this.stats.countersOf(loop);
    }

    /**
     * Returns the number of this socket, unique within its factory.
     * @return the id
     */
    public long id() {
        return this.id;
    }

    /**
     * Returns the transport of this socket.
     * @return UDP, TCP or TLS
     */
    public abstract Protocol protocol();

    /**
     * Returns when the socket was made.
     * @return the instant
     */
    public Instant openedAt() {
        return Instant.ofEpochSecond(0, this.openedAtNanos);
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /**
     * Returns the bytes received so far.
     * @return the total
     */
    public long bytesReceived() {
        return this.bytesReceived;
    }

    /**
     * Returns the bytes handed to the kernel so far.
     * @return the total
     */
    public long bytesSent() {
        return this.bytesSent;
    }

    /**
     * Returns the bytes accepted by {@code send} and not yet handed to the kernel.
     * @return the bytes now queued
     */
    public abstract long pendingBytes();

    /**
     * Returns the most that this socket's accepted sends may hold in memory; {@link PendingSend} refuses a send past
     * it with 2301105.
     * @return the limit in bytes
     */
    abstract long sendQueueLimit();

    /**
     * Returns how many received messages the kernel dropped for this socket because its receive buffer was full.
     * Read on demand from the operating system, on the caller's thread.
     * @return the count, or {@code -1} where the platform does not report it (always for TCP, which never drops)
     * @see UdpKernelDrops
     */
    public long kernelDrops() {
        return -1;
    }

    /**
     * Returns the local address once bound.
     * @return the address, or {@code null} before bind and after close
     */
    public NetAddress localAddress() {
        return this.localAddress;
    }

    /**
     * Returns the name of this socket: a declared server's name, which its connections share.
     * @return the name, or {@code null}
     */
    public String name() {
        NioSocket server = server();
        return (server != null) ? server.name() : null;
    }

    /**
     * Returns the server that accepted this connection.
     * @return the server, or {@code null} for a socket no server accepted
     */
    public NioSocket server() {
        return null;
    }

    /**
     * Returns the object the application holds for this socket: the socket itself, or the facade of a kind whose
     * API is not a {@link NetSocket} (a local socket's addresses are paths).
     * @return the object that events hand to listeners
     */
    public Object apiSocket() {
        return this;
    }

    /**
     * Returns what the TLS session of this socket negotiated, for monitoring (never key material).
     * @return the session, or {@code null} for a socket without TLS or before its handshake has finished
     */
    public TlsSessionInfo tlsSession() {
        return null;
    }

    /**
     * Gives a system error of the transport the code this kind of socket reports: TLS sockets move 2301000 + errno
     * to 2303100 + errno, as the reference does.
     * @param error the transport's error
     * @return the error to report
     */
    BusinessError systemError(BusinessError error) {
        return error;
    }

    /**
     * Returns the peer's address where there is one.
     * @return the address, or {@code null} (always for UDP)
     */
    public NetAddress remoteAddress() {
        return null;
    }

    /**
     * Returns the state now, without waiting for the loop.
     * @return the state
     */
    public SocketStateBase state() {
        int now = this.state;
        return new SocketStateBase((now & BOUND) != 0, (now & CLOSED) != 0, (now & CONNECTED) != 0);
    }

    /**
     * Reads the socket options back from the channel, on the socket's loop.
     * @return completes with the options named as the seed's fields; empty when no channel is open
     */
    public CompletableFuture<Map<String, Object>> effectiveOptions() {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        Runnable read = () -> result.complete(readOptions());
        if (this.loop.inEventLoop()) {
            read.run();
        }
        else if (!this.loop.tryExecute(read)) {
            result.complete(Map.of());
        }
        return result;
    }

    /**
     * Loop only: the options of the open channel.
     * @return the options, empty when no channel is open
     */
    abstract Map<String, Object> readOptions();

    @Override
    public CompletableFuture<Void> close() {
        return Callbacks.future(callback -> close(callback));
    }

    @Override
    public void close(AsyncCallback<Void> callback) {
        Callbacks.requireCallback(callback);
        if (this.retired) {
            fail(callback, inertError());
            return;
        }
        this.closeRequested = true;
        // Queued like every other operation, also from a callback on the loop, and behind a pending look-up, so that
        // the sends called before it are accepted first: send(); close(); delivers the data, to names too.
        inCallOrder(() -> closeOnLoop(callback), () -> {
            // The loop has stopped, and stopping closed every channel it served: nothing is left to flush.
            closedWithoutLoop();
            this.factory.dispatcher().complete(this, callback, null, null);
        });
    }

    /**
     * Marks the socket closed when its loop is gone, e.g. a socket made after its factory was closed: it leaves the
     * factory's books as a closed socket does, but no channel or callback is left to tell.
     */
    private void closedWithoutLoop() {
        this.state = CLOSED;
        this.localAddress = null;
        leaveFactoryBooks();
    }

    /**
     * Loop only: the socket handed its connection to another and is inert from now on: its callbacks are dropped,
     * it leaves its factory's books (its connection lives on in the other socket), and every call but getState fails
     * with 2301009. Only the observers hear its 'close', so that what they keep per socket ends with it.
     */
    void retire() {
        this.retired = true;
        this.closeRequested = true;
        clearListeners();
        closedWithoutLoop();
        emit(SocketEventType.CLOSE, null);
    }

    /**
     * Tells whether {@link #retire()} was called.
     * @return whether the socket is inert
     */
    boolean isRetired() {
        return this.retired;
    }

    @Override
    BusinessError inertError() {
        return this.retired ? new BusinessError(BusinessError.NOT_BOUND,
                "socket was upgraded to TLS: use the TLSSocket, which owns its connection now") : null;
    }

    /** Takes the socket off its factory's list and active count, once, whichever thread closes it. */
    private void leaveFactoryBooks() {
        if (LEFT_BOOKS.compareAndSet(this, 0, 1)) {
            this.factory.unregister(this);
            this.stats.closed();
        }
    }

    private void closeOnLoop(AsyncCallback<Void> callback) {
        if (this.closeReported) {
            succeed(callback, null);
            return;
        }
        boolean first = (this.closeWaiters == null);
        if (first) {
            this.closeWaiters = new ArrayList<>(1);
        }
        // Closed already but 'close' not emitted yet (the close ended inside a select, e.g. on a reset, and 'close'
        // waits for the port to be free): this result waits for 'close' too.
        this.closeWaiters.add(callback);
        if (first && !isClosed()) {
            beginClose();
        }
    }

    /**
     * Loop only: starts closing after {@code close()}. Lets accepted sends reach the kernel (bounded by the send
     * timeout), then calls {@link #finishClose()}.
     */
    abstract void beginClose();

    /**
     * Loop only: takes a send that {@code send()} accepted on the caller's thread.
     * @param send the send
     */
    abstract void sendOnLoop(PendingSend send);

    /**
     * Loop only: closes the channel, fails what is still pending, and forgets timers.
     */
    abstract void closeChannel();

    /**
     * Loop only: closes the socket for good and emits 'close' once, whatever the cause.
     */
    final void finishClose() {
        if (isClosed()) {
            return;
        }
        this.closeRequested = true;
        NetAddress bound = this.localAddress;
        closeChannel();
        this.state = CLOSED;
        this.localAddress = null;
        leaveFactoryBooks();
        if (bound != null) {
            logger.log(closeLogLevel(), () -> this + " on " + Addresses.describe(bound) + " closed");
        }
        // 'close' and the close() results only once the port is free, so that a re-bind in a callback succeeds. The
        // waiters are taken then, not now: a close() that runs in between also gets its result after 'close'.
        boolean report = reportsClose();
        this.loop.afterChannelsReleased(() -> {
            if (report) {
                emit(SocketEventType.CLOSE, null);
            }
            this.closeReported = true;
            List<AsyncCallback<Void>> waiters = this.closeWaiters;
            this.closeWaiters = null;
            if (waiters != null) {
                for (AsyncCallback<Void> waiter : waiters) {
                    succeed(waiter, null);
                }
            }
        });
    }

    /**
     * Tells whether the end of this socket is an event: not for a connection that was never handed to anyone (a TLS
     * connection whose handshake failed).
     * @return {@code true} unless the socket was never announced
     */
    boolean reportsClose() {
        return true;
    }

    /**
     * Returns the level of the line that says this socket closed.
     * @return INFO: a socket the application made is worth a line when it ends
     */
    Level closeLogLevel() {
        return Level.INFO;
    }

    @Override
    public CompletableFuture<SocketStateBase> getState() {
        return CompletableFuture.completedFuture(state());
    }

    @Override
    public void getState(AsyncCallback<SocketStateBase> callback) {
        Callbacks.requireCallback(callback);
        succeed(callback, state());
    }

    @Override
    public CompletableFuture<NetAddress> getLocalAddress() {
        return Callbacks.future(callback -> getLocalAddress(callback));
    }

    @Override
    public void getLocalAddress(AsyncCallback<NetAddress> callback) {
        Callbacks.requireCallback(callback);
        NetAddress bound = this.localAddress;
        if (this.closeRequested) {
            fail(callback, Errors.closed());
        }
        else if (bound == null) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND, "socket is not bound: call bind() first"));
        }
        else {
            succeed(callback, bound);
        }
    }

    @Override
    String kind() {
        return protocol().name() + " socket";
    }

    ProtocolStats stats() {
        return this.stats;
    }

    boolean isClosed() {
        return (this.state & CLOSED) != 0;
    }

    @Override
    boolean isCloseRequested() {
        return this.closeRequested;
    }

    boolean hasState(int flag) {
        return (this.state & flag) != 0;
    }

    /** Loop only. */
    void addState(int flag) {
        this.state |= flag;
    }

    /** Loop only. */
    void removeState(int flag) {
        this.state &= ~flag;
    }

    /** Loop only. */
    void bound(InetSocketAddress address) {
        bound(Addresses.toNetAddress(address));
    }

    /** Loop only: the channel is bound to this address, e.g. one that a server's connections share. */
    void bound(NetAddress address) {
        this.localAddress = address;
        addState(BOUND);
    }

    /** Loop only: the channel was released without closing the socket (a failed TCP connect). */
    void unbound() {
        this.localAddress = null;
        removeState(BOUND);
    }

    /** Loop only. */
    void countReceived(int bytes) {
        this.bytesReceived += bytes;
        this.traffic.received(bytes);
    }

    /** Loop only. */
    void countSent(int bytes) {
        this.bytesSent += bytes;
        this.traffic.sent(bytes);
    }

    /** Loop only. */
    void countSendCompleted() {
        this.traffic.sendCompleted();
    }

    /**
     * Stops reading until a matching {@link #resumeReading()}: how a consumer that falls behind holds a stream back
     * without losing a byte. A stream socket takes OP_READ off, so the kernel's receive buffer fills and the
     * transport's flow control slows the peer; a read batch in progress ends after the message being delivered.
     * Datagram sockets read on: datagrams have no flow control, and the kernel would only drop them instead.
     * Callable from any thread; applied on the socket's loop, at once when called there. Calls nest.
     */
    public void suspendReading() {
        if (READ_HOLDS.getAndIncrement(this) == 0) {
            readingChanged();
        }
    }

    /**
     * Gives back one {@link #suspendReading()}; reading starts again when every one is given back.
     * @throws IllegalStateException when reading is not suspended
     */
    public void resumeReading() {
        int holds;
        do {
            holds = this.readHolds;
            if (holds == 0) {
                throw new IllegalStateException("reading of " + this + " is not suspended");
            }
        }
        while (!READ_HOLDS.compareAndSet(this, holds, holds - 1));
        if (holds == 1) {
            readingChanged();
        }
    }

    /**
     * Tells whether {@link #suspendReading()} holds reading back now.
     * @return whether reading is suspended
     */
    public boolean isReadingSuspended() {
        return this.readHolds > 0;
    }

    private void readingChanged() {
        // The loop owns the key. The hook reads the count when it runs, so a suspend and a resume applied by two
        // tasks in either order still end in the interest set of the latest count. A stopped loop has no key left.
        if (this.loop.inEventLoop()) {
            readingSuspensionChanged();
        }
        else {
            this.loop.tryExecute(this::readingSuspensionChanged);
        }
    }

    /** Loop only: reading was suspended or resumed. Stream sockets recompute their interest set here. */
    void readingSuspensionChanged() {
    }

    <T> void emit(SocketEventType<T> type, T payload) {
        this.factory.dispatcher().emit(this, type, payload);
    }

    @Override
    <T> void complete(AsyncCallback<T> callback, BusinessError error, T value) {
        this.factory.dispatcher().complete(this, callback, error, value);
    }

    @Override
    public String toString() {
        return kind() + " #" + this.id;
    }

}
