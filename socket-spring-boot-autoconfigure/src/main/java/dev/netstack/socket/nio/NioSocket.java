package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.ExtraOptions;
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
public abstract class NioSocket implements NetSocket {

    private static final System.Logger logger = Loggers.of(NioSocket.class);

    static final int BOUND = 1;

    static final int CONNECTED = 2;

    static final int CLOSED = 4;

    private final long id;

    final EventLoop loop;

    final NioSocketFactory factory;

    private final EventListeners listeners = new EventListeners();

    /** Keeps this socket's operations in call order across host-name look-ups. */
    private final CallOrder calls;

    /**
     * Nanoseconds since the epoch (a long lasts until 2262): the clock's full precision without an {@code Instant}
     * object kept by every socket.
     */
    private final long openedAtNanos = epochNanos(Instant.now());

    private final ProtocolStats stats;

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
        this.id = id;
        this.loop = loop;
        this.factory = factory;
        this.stats = factory.stats().of(protocol);
        this.calls = new CallOrder(loop, factory.resolver());
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
     * @return UDP or TCP
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
        CompletableFuture<Void> result = new CompletableFuture<>();
        close(Callbacks.completing(result));
        return result;
    }

    @Override
    public void close(AsyncCallback<Void> callback) {
        Callbacks.requireCallback(callback);
        if (this.retired) {
            fail(callback, retiredError());
            return;
        }
        this.closeRequested = true;
        // Queued like every other operation, also from a callback on the loop, and behind a pending look-up, so that
        // the sends called before it are accepted first: send(); close(); delivers the data, to names too.
        this.calls.execute(() -> closeOnLoop(callback), () -> {
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
     * it leaves its factory's books without a 'close' (its connection lives on), and every call but getState fails
     * with 2301009.
     */
    void retire() {
        this.retired = true;
        this.closeRequested = true;
        for (SocketEventType<?> type : SocketEventType.values()) {
            this.listeners.clear(type);
        }
        closedWithoutLoop();
    }

    /**
     * Tells whether {@link #retire()} was called.
     * @return whether the socket is inert
     */
    boolean isRetired() {
        return this.retired;
    }

    private BusinessError retiredError() {
        return new BusinessError(BusinessError.NOT_BOUND,
                "socket was upgraded to TLS: use the TLSSocket, which owns its connection now");
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
            logger.log(closeLogLevel(), () -> this + " on " + bound.address() + ":" + bound.port() + " closed");
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
        CompletableFuture<NetAddress> result = new CompletableFuture<>();
        getLocalAddress(Callbacks.completing(result));
        return result;
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
    public <T> void on(SocketEventType<T> type, Callback<T> callback) {
        checkType(type);
        Callbacks.requireCallback(callback);
        this.listeners.add(type, callback);
    }

    @Override
    public <T> void off(SocketEventType<T> type, Callback<T> callback) {
        checkType(type);
        Callbacks.requireCallback(callback);
        this.listeners.remove(type, callback);
    }

    @Override
    public void off(SocketEventType<?> type) {
        checkType(type);
        this.listeners.clear(type);
    }

    private void checkType(SocketEventType<?> type) {
        if (this.retired) {
            throw retiredError();
        }
        if (type == null) {
            throw Errors.parameter("event type must not be null");
        }
        if (!emits(type)) {
            throw Errors.parameter("event type '" + type.name() + "' is not emitted by a " + kind());
        }
    }

    /**
     * Tells whether this kind of socket emits an event type, so that {@code on}/{@code off} refuse the others.
     * @param type the type, not {@code null}
     * @return whether callbacks of that type can ever run
     */
    abstract boolean emits(SocketEventType<?> type);

    /**
     * Names this kind of socket in messages.
     * @return e.g. {@code "TCP socket"}
     */
    String kind() {
        return protocol().name() + " socket";
    }

    EventListeners listeners() {
        return this.listeners;
    }

    ProtocolStats stats() {
        return this.stats;
    }

    boolean isClosed() {
        return (this.state & CLOSED) != 0;
    }

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
        this.stats.received(bytes);
    }

    /** Loop only. */
    void countSent(int bytes) {
        this.bytesSent += bytes;
        this.stats.sent(bytes);
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

    <T> void succeed(AsyncCallback<T> callback, T value) {
        if (this.loop.inEventLoop()) {
            this.factory.dispatcher().complete(this, callback, null, value);
        }
        else {
            handOver(() -> this.factory.dispatcher().complete(this, callback, null, value));
        }
    }

    void fail(AsyncCallback<?> callback, BusinessError error) {
        if (this.loop.inEventLoop()) {
            this.factory.dispatcher().complete(this, callback, error, null);
        }
        else {
            handOver(() -> this.factory.dispatcher().complete(this, callback, error, null));
        }
    }

    /**
     * Delivers a result found on the caller's thread (a bad parameter, the state) on the loop instead: callbacks of a
     * socket then never run concurrently with its events, and results arrive in call order, behind a pending look-up
     * too. Once the loop has stopped there is no other thread to use, so the caller's thread delivers it.
     */
    private void handOver(Runnable delivery) {
        this.calls.execute(delivery, delivery);
    }

    /**
     * The gate every operation passes first: checks the callback (a {@code null} one has nowhere to report, so it
     * throws 401) and fails the call when {@code close()} was called already.
     * @param callback the caller's callback
     * @return {@code true} when the call was refused and the caller must return
     */
    boolean refuseCall(AsyncCallback<?> callback) {
        Callbacks.requireCallback(callback);
        if (this.closeRequested) {
            fail(callback, this.retired ? retiredError() : Errors.closed());
            return true;
        }
        return false;
    }

    /**
     * {@link #refuseCall(AsyncCallback)} for an operation that takes options, which must not be {@code null}.
     * @param callback the caller's callback
     * @param options the caller's options
     * @return {@code true} when the call was refused and the caller must return
     */
    boolean refuseCall(AsyncCallback<?> callback, Object options) {
        if (refuseCall(callback)) {
            return true;
        }
        if (options == null) {
            fail(callback, Errors.parameter("options must not be null"));
            return true;
        }
        return false;
    }

    /**
     * Runs a step on the socket's loop, queued behind earlier calls.
     * @param task the step
     * @param callback failed with 2301009 when the loop has stopped
     */
    void onLoop(Runnable task, AsyncCallback<?> callback) {
        // Queued even when called on the loop: a callback that starts the next operation returns before it runs, so
        // a chain of operations started from callbacks uses constant stack, and operations run in call order. Only
        // behind a pending look-up does it take the slower path that allocates the rejection.
        if (!this.calls.idle()) {
            this.calls.execute(task, () -> factoryClosed(callback));
        }
        else if (!this.loop.tryExecute(task)) {
            factoryClosed(callback);
        }
    }

    /** Fails an operation that no loop is left to run, on the calling thread: there is no other. */
    private void factoryClosed(AsyncCallback<?> callback) {
        this.factory.dispatcher().complete(this, callback, Errors.factoryClosed(), null);
    }

    /**
     * Checks a local address (bind never resolves a name) and runs the step on the loop.
     * @param address the address
     * @param callback receives a 401
     * @param step what to do with the address, on the loop
     */
    void bindThen(NetAddress address, AsyncCallback<?> callback, Consumer<InetSocketAddress> step) {
        InetSocketAddress local;
        try {
            local = Addresses.parseLocal(address);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> step.accept(local), callback);
    }

    /**
     * Checks a destination, resolves a host name off the loop when needed, and runs the step on the loop, in call
     * order with the socket's other operations.
     * @param address the address
     * @param callback receives a 401 or resolution failure
     * @param step what to do with the resolved address, on the loop
     */
    void resolveThen(NetAddress address, AsyncCallback<?> callback, Consumer<InetSocketAddress> step) {
        InetSocketAddress parsed;
        try {
            parsed = Addresses.parse(address, true);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        if (parsed != null) {
            onLoop(() -> step.accept(parsed), callback);
            return;
        }
        this.calls.lookUpThen(address, step, error -> fail(callback, error), () -> factoryClosed(callback));
    }

    /**
     * What {@code setExtraOptions} does for both socket kinds before the channel is touched: checks the options on
     * the caller's thread, copies them, and applies the copy on the loop.
     * @param options the caller's options
     * @param copy makes a copy, so that a caller changing its object after the call cannot change what is applied
     * @param apply applies the copy on the loop and completes the callback
     * @param callback receives a 401 or the result
     * @param <O> the options type
     */
    <O extends ExtraOptions> void setExtraOptions(O options, UnaryOperator<O> copy,
            BiConsumer<O, AsyncCallback<Void>> apply, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        O copied;
        try {
            ExtraOptionsSupport.validate(options);
            copied = copy.apply(options);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> apply.accept(copied, callback), callback);
    }

    @Override
    public String toString() {
        return kind() + " #" + this.id;
    }

}
