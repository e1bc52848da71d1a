package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;

/**
 * A {@link TCPSocket} on a non-blocking {@link SocketChannel}, served by one event loop.
 *
 * <p>The channel is opened by {@code bind} or {@code connect}, whichever comes first, with the factory's TCP
 * defaults applied before either. Connect waits for OP_CONNECT under a loop timer, never blocking the loop. Sends
 * are written at once when nothing is queued; the rest waits in a {@link TcpOutboundBuffer} and goes out in
 * gathering writes while OP_WRITE is set, which is only while something is queued. Reads take up to
 * {@value #READS_PER_WAKEUP} chunks per wake-up into the loop's shared buffer and hand each 'message' a copy; after
 * {@code setFraming}, a {@link StreamFraming} cuts them into frames instead, one 'message' each.
 *
 * <p>The connection ends in one of four ways, each emitting 'close' once: {@code close()} (after the queued sends
 * reach the kernel), the peer's FIN (likewise), a reset or other I/O failure ('error' first), or a send that makes
 * no progress for {@code socketTimeout} ('error' 2301110 first, then a reset).
 */
final class NioTCPSocket extends NioSocket implements TCPSocket, ChannelHandler {

    private static final System.Logger logger = System.getLogger(NioTCPSocket.class.getName());

    /** Reads per wake-up before the loop serves other channels. */
    static final int READS_PER_WAKEUP = 16;

    /** Write attempts per wake-up before the loop serves other channels. */
    static final int WRITES_PER_WAKEUP = 16;

    private final TcpOutboundBuffer outbound;

    // Loop only.
    private SocketChannel channel;

    private SelectionKey key;

    /** The interest set last given to the key, so that unchanged sets cost no call. */
    private int interest;

    private int family;

    /**
     * The factory's defaults merged with every setExtraOptions: applied again when a new channel is opened.
     * {@code null} until the first setExtraOptions, so that most sockets share the factory's defaults.
     */
    private TCPExtraOptions options;

    private long sendTimeoutNanos;

    private AsyncCallback<Void> connectCallback;

    private InetSocketAddress connectTarget;

    private long connectStartedNanos;

    private LoopTimer connectTimer;

    private LoopTimer sendTimer;

    /** When the queue last moved, or started to wait: the send timeout counts from here. */
    private long lastProgressNanos;

    /** Set while a flush runs: completion callbacks run inside it, and a flush must never start inside another. */
    private boolean flushing;

    /** No more reads or new sends: the queue is flushing before the close, or the connection has failed. */
    private boolean closing;

    /** Cuts reads into frames once setFraming was called; {@code null} before: each read is one message. Loop only. */
    private StreamFraming frames;

    /** The remote info of the last message, reused while the read size repeats. Loop only. */
    private SocketRemoteInfo lastRemoteInfo;

    /** Written on the loop, read by monitoring and getRemoteAddress. */
    private volatile NetAddress remote;

    NioTCPSocket(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TCP);
        this.outbound = new TcpOutboundBuffer(stats());
        this.sendTimeoutNanos = timeoutNanos(factory.settings().tcpDefaults().getSocketTimeout());
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    public long pendingBytes() {
        return this.outbound.queuedBytes();
    }

    @Override
    public NetAddress remoteAddress() {
        return this.remote;
    }

    // ---- bind

    @Override
    public CompletableFuture<Void> bind(NetAddress address) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        bind(address, completing(result));
        return result;
    }

    @Override
    public void bind(NetAddress address, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        resolveThen(address, false, callback, local -> bindOnLoop(local, address.family(), callback));
    }

    private void bindOnLoop(InetSocketAddress local, int family, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (this.connectCallback != null) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT, "a connect to "
                    + Addresses.describe(this.connectTarget) + " is in progress; bind() must come before connect()"));
            return;
        }
        if (hasState(BOUND) || hasState(CONNECTED)) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "socket is already bound to " + Addresses.describe(localAddress())));
            return;
        }
        try {
            openChannel(family);
            this.channel.bind(local);
        }
        catch (IOException | RuntimeException ex) {
            releaseChannel();
            fail(callback, Errors.io("bind to " + Addresses.describe(local), ex));
            return;
        }
        InetSocketAddress boundTo = NioSocket.localSocketAddress(this.channel, local);
        bound(boundTo);
        logger.log(Level.INFO, () -> this + " bound to " + Addresses.describe(boundTo));
        succeed(callback, null);
    }

    // ---- connect

    @Override
    public CompletableFuture<Void> connect(TCPConnectOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        connect(options, completing(result));
        return result;
    }

    @Override
    public void connect(TCPConnectOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        int timeout = options.timeout();
        if (timeout < 0) {
            fail(callback, Errors.parameter("timeout " + timeout + " ms must not be negative (0 means the default)"));
            return;
        }
        long timeoutNanos = (timeout > 0) ? TimeUnit.MILLISECONDS.toNanos(timeout)
                : this.factory.settings().connectTimeout().toNanos();
        resolveThen(options.address(), true, callback, target -> connectOnLoop(target, timeoutNanos, callback));
    }

    private void connectOnLoop(InetSocketAddress target, long timeoutNanos, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (hasState(CONNECTED)) {
            fail(callback, new BusinessError(BusinessError.ALREADY_CONNECTED,
                    "socket is already connected to " + Addresses.describe(this.remote)));
            return;
        }
        if (this.connectCallback != null) {
            fail(callback, new BusinessError(BusinessError.ALREADY_IN_PROGRESS,
                    "a connect to " + Addresses.describe(this.connectTarget) + " is already in progress"));
            return;
        }
        int targetFamily = (target.getAddress() instanceof Inet6Address) ? NetAddress.IPV6 : NetAddress.IPV4;
        if (this.channel != null && targetFamily != this.family) {
            fail(callback, Errors.parameter("destination " + Addresses.describe(target) + " is an "
                    + Addresses.familyName(targetFamily) + " address but the socket is bound to "
                    + Addresses.familyName(this.family) + " (family " + this.family + ")"));
            return;
        }
        BusinessError denied = this.factory.settings().accessPolicy().checkDestination(target);
        if (denied != null) {
            // Refused before any channel is opened or any packet leaves.
            fail(callback, denied);
            return;
        }
        this.connectCallback = callback;
        this.connectTarget = target;
        this.connectStartedNanos = System.nanoTime();
        boolean connected;
        try {
            if (this.channel == null) {
                openChannel(targetFamily);
            }
            connected = this.channel.connect(target);
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(Errors.io("connect to " + Addresses.describe(target), ex));
            return;
        }
        if (connected) {
            connected();
            return;
        }
        this.connectTimer = this.loop.schedule(timeoutNanos, TimeUnit.NANOSECONDS,
                () -> connectTimedOut(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        updateInterest();
    }

    private void finishConnect() {
        boolean connected;
        try {
            connected = this.channel.finishConnect();
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(Errors.io("connect to " + Addresses.describe(this.connectTarget), ex));
            return;
        }
        if (connected) {
            connected();
        }
    }

    private void connected() {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        InetSocketAddress target = this.connectTarget;
        // The kernel picked or confirmed the local address at connect: report the one it uses.
        bound(NioSocket.localSocketAddress(this.channel, target));
        addState(CONNECTED);
        // Formatted once per connection; 'message' events take their remote info from it.
        this.remote = Addresses.toNetAddress(target);
        updateInterest();
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, null);
        logger.log(Level.INFO, () -> this + " connected from " + Addresses.describe(localAddress()) + " to "
                + Addresses.describe(target));
        emit(SocketEventType.CONNECT, null);
        succeed(callback, null);
    }

    private void connectTimedOut(long millis) {
        this.connectTimer = null;
        connectFailed(new BusinessError(BusinessError.TIMED_OUT,
                "connect to " + Addresses.describe(this.connectTarget) + " timed out after " + millis + " ms"));
    }

    /**
     * Ends a connect attempt that failed: the channel is released (the JDK closes it on a failed connect anyway),
     * so the socket is unbound again but keeps its options, and may bind and connect again. The failure is
     * delivered once the channel's port is free, so that a bind to the same port from the callback succeeds.
     */
    private void connectFailed(BusinessError error) {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        releaseChannel();
        unbound();
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, error);
        logger.log(Level.DEBUG, () -> this + ": " + error.getMessage());
        this.loop.afterChannelsReleased(() -> fail(callback, error));
    }

    // ---- send

    @Override
    public CompletableFuture<Void> send(TCPSendOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        send(options, completing(result));
        return result;
    }

    @Override
    public void send(TCPSendOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        ByteBuffer data;
        try {
            Charset charset = Payloads.charset(options.encoding());
            data = Payloads.toBuffer(options.data(), charset);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        PendingSend send = new PendingSend(this, data, null, data.remaining(), callback);
        onLoop(send, callback);
    }

    @Override
    void sendOnLoop(PendingSend send) {
        // Not "close requested": a send accepted before close() was called still goes out, as users expect.
        if (isClosed() || this.closing) {
            fail(send.callback(), Errors.closed());
            return;
        }
        if (!hasState(CONNECTED)) {
            fail(send.callback(), new BusinessError(BusinessError.NOT_CONNECTED, (this.connectCallback != null)
                    ? "socket is still connecting to " + Addresses.describe(this.connectTarget)
                            + ": send() after connect() has completed"
                    : "socket is not connected: call connect() before send()"));
            return;
        }
        long limit = this.factory.settings().sendQueueLimit();
        long queued = this.outbound.queuedBytes();
        if (queued + send.size() > limit) {
            fail(send.callback(), new BusinessError(BusinessError.NO_BUFFER_SPACE, "send queue holds " + queued
                    + " bytes; " + send.size() + " more would pass its limit of " + limit + " bytes"));
            return;
        }
        boolean wasEmpty = this.outbound.isEmpty();
        this.outbound.add(send);
        if (wasEmpty) {
            // The wait for the kernel starts now; with nothing queued before, try to write at once.
            this.lastProgressNanos = System.nanoTime();
            flush();
        }
        // Otherwise OP_WRITE is set, and the flush on the next wake-up takes this send in call order.
    }

    /**
     * Writes queued sends, up to {@value #WRITES_PER_WAKEUP} attempts, and completes those written whole.
     */
    private void flush() {
        if (this.flushing || this.channel == null) {
            return;
        }
        this.flushing = true;
        try {
            for (int i = 0; i < WRITES_PER_WAKEUP && !this.outbound.isEmpty() && !isClosed(); i++) {
                long written = this.outbound.write(this.channel, this.loop.gatherBuffers());
                if (written > 0) {
                    countSent((int) written);
                    this.lastProgressNanos = System.nanoTime();
                }
                completeWritten();
                if (this.outbound.kernelFull(written)) {
                    break;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            this.flushing = false;
            connectionFailed(Errors.io("send to " + Addresses.describe(this.remote), ex), false);
            return;
        }
        finally {
            this.flushing = false;
        }
        if (isClosed()) {
            // A completion callback closed the socket.
            return;
        }
        if (this.outbound.isEmpty()) {
            this.loop.cancel(this.sendTimer);
            this.sendTimer = null;
            if (this.closing) {
                finishClose();
                return;
            }
        }
        else if (this.sendTimer == null) {
            armSendTimer(this.sendTimeoutNanos);
        }
        updateInterest();
    }

    private void completeWritten() {
        PendingSend done;
        // Taken off the queue before its callback runs, which may send or close re-entrantly.
        while ((done = this.outbound.pollWritten()) != null) {
            stats().sendCompleted();
            succeed(done.callback(), null);
        }
    }

    private void armSendTimer(long delayNanos) {
        this.sendTimer = this.loop.schedule(delayNanos, TimeUnit.NANOSECONDS, this::sendTimerFired);
    }

    /**
     * Checks the queue for progress. One timer runs while the queue waits, and it moves on by itself instead of
     * being cancelled and scheduled again on every write.
     */
    private void sendTimerFired() {
        this.sendTimer = null;
        if (isClosed() || this.outbound.isEmpty()) {
            return;
        }
        long idle = System.nanoTime() - this.lastProgressNanos;
        if (idle < this.sendTimeoutNanos) {
            armSendTimer(this.sendTimeoutNanos - idle);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos);
        connectionFailed(new BusinessError(BusinessError.TIMED_OUT, "the kernel took no byte of "
                + this.outbound.queuedBytes() + " queued for " + Addresses.describe(this.remote)
                + " within socketTimeout " + millis + " ms"), true);
    }

    // ---- read

    private void read() {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            ByteBuffer buffer = this.loop.readBuffer();
            int size;
            try {
                size = this.channel.read(buffer);
            }
            catch (IOException | RuntimeException ex) {
                connectionFailed(Errors.io("receive from " + Addresses.describe(this.remote), ex), false);
                return;
            }
            if (size < 0) {
                peerClosed();
                return;
            }
            if (size == 0) {
                return;
            }
            buffer.flip();
            countReceived(size);
            if (this.frames != null) {
                this.frames.decode(buffer);
            }
            else {
                byte[] bytes = new byte[size];
                buffer.get(bytes);
                messageReceived(bytes);
            }
            if (this.closing || isCloseRequested() || isClosed()) {
                // A callback closed the socket: no message after that.
                return;
            }
            if (size < buffer.capacity()) {
                // A short read drained the kernel's buffer: another read now would return 0.
                return;
            }
        }
    }

    /**
     * Emits one 'message'.
     * @return whether the socket takes more: not once a callback has closed it
     */
    private boolean messageReceived(byte[] bytes) {
        emit(SocketEventType.MESSAGE, new SocketMessageInfo(bytes, remoteInfo(bytes.length)));
        return !(this.closing || isCloseRequested() || isClosed());
    }

    private SocketRemoteInfo remoteInfo(int size) {
        SocketRemoteInfo last = this.lastRemoteInfo;
        if (last != null && last.size() == size) {
            // Immutable and the peer never changes: full reads of the same size share one instance.
            return last;
        }
        NetAddress peer = this.remote;
        SocketRemoteInfo info = new SocketRemoteInfo(peer.address(), Addresses.familyName(peer.family()), peer.port(),
                size);
        this.lastRemoteInfo = info;
        return info;
    }

    /**
     * The peer sent FIN. There is no half-open state in this API: the socket closes, after its queued sends are out
     * (a peer that only shut down its output still reads them).
     */
    private void peerClosed() {
        logger.log(Level.DEBUG, () -> this + ": " + Addresses.describe(this.remote) + " closed the connection");
        if (this.outbound.isEmpty()) {
            finishClose();
        }
        else {
            this.closing = true;
            updateInterest();
        }
    }

    /**
     * The connection failed (reset, broken pipe, send timeout): every queued send fails, 'error' fires, then the
     * socket closes and 'close' fires.
     * @param error the failure
     * @param reset whether to reset the connection instead of ending it with FIN
     */
    private void connectionFailed(BusinessError error, boolean reset) {
        if (isClosed()) {
            return;
        }
        // Set first: a close() from one of the callbacks below then waits for finishClose() instead of running it,
        // so that 'error' still comes before 'close'.
        this.closing = true;
        failQueued(() -> new BusinessError(error.getCode(), error.getMessage(), error.getCause()));
        if (reset && this.channel != null && this.channel.isOpen()) {
            try {
                this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            catch (IOException ex) {
                logger.log(Level.DEBUG, "Cannot set SO_LINGER 0 on " + this + "; it closes with FIN", ex);
            }
        }
        logger.log(Level.DEBUG, () -> this + ": " + error.getMessage());
        emit(SocketEventType.ERROR, error);
        finishClose();
    }

    private void failQueued(Supplier<BusinessError> error) {
        PendingSend send;
        while ((send = this.outbound.poll()) != null) {
            fail(send.callback(), error.get());
        }
    }

    // ---- framing

    @Override
    public void setFraming(Framing framing) {
        if (framing == null) {
            throw Errors.parameter("framing must not be null: Framing.none() gives one message per read");
        }
        if (this.loop.inEventLoop()) {
            // At once, not queued: from a 'connect' or 'message' callback it must apply to the very next byte.
            framingOnLoop(framing);
        }
        else {
            // Queued behind the calls made before, so that a framing set before connect() sees the first byte. A
            // stopped loop has closed the socket: nothing is left to frame.
            this.loop.tryExecute(() -> framingOnLoop(framing));
        }
    }

    private void framingOnLoop(Framing framing) {
        if (isClosed()) {
            return;
        }
        if (this.frames == null) {
            this.frames = new StreamFraming(this::messageReceived, error -> connectionFailed(error, true));
        }
        if (this.frames.set(framing)) {
            // Messages from the old framing's unfinished frame, outside any read batch.
            this.factory.dispatcher().batchEnded(this);
        }
    }

    // ---- remote address, options

    @Override
    public CompletableFuture<NetAddress> getRemoteAddress() {
        CompletableFuture<NetAddress> result = new CompletableFuture<>();
        getRemoteAddress(completing(result));
        return result;
    }

    @Override
    public void getRemoteAddress(AsyncCallback<NetAddress> callback) {
        requireCallback(callback);
        NetAddress peer = this.remote;
        if (isCloseRequested()) {
            fail(callback, Errors.closed());
        }
        else if (peer == null) {
            fail(callback, new BusinessError(BusinessError.NOT_CONNECTED,
                    "socket is not connected: call connect() before getRemoteAddress()"));
        }
        else {
            succeed(callback, peer);
        }
    }

    @Override
    public CompletableFuture<Void> setExtraOptions(TCPExtraOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        setExtraOptions(options, completing(result));
        return result;
    }

    @Override
    public void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback) {
        setExtraOptions(options, new TCPExtraOptions()::merge, this::applyOnLoop, callback);
    }

    private void applyOnLoop(TCPExtraOptions update, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (this.channel == null) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND,
                    "socket is neither bound nor connected: call bind() or connect() before setExtraOptions()"));
            return;
        }
        try {
            ExtraOptionsSupport.apply(this.channel, update);
        }
        catch (IOException | RuntimeException ex) {
            fail(callback, Errors.io("setExtraOptions " + update, ex));
            return;
        }
        this.options = options().merge(update);
        if (update.getSocketTimeout() != null) {
            this.sendTimeoutNanos = timeoutNanos(update.getSocketTimeout());
            if (this.sendTimer != null) {
                // The queue may already have waited longer than the new timeout: let the timer decide now.
                this.loop.cancel(this.sendTimer);
                armSendTimer(0);
            }
        }
        succeed(callback, null);
    }

    @Override
    Map<String, Object> readOptions() {
        if (this.channel == null || !this.channel.isOpen()) {
            return Map.of();
        }
        Map<String, Object> effective = ExtraOptionsSupport.readBack(this.channel);
        effective.put("socketTimeout", TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos));
        return effective;
    }

    // ---- close

    @Override
    void beginClose() {
        if (this.closing) {
            // Already flushing after the peer's FIN, or failing: finishClose() answers this close too.
            return;
        }
        if (this.connectCallback != null || this.outbound.isEmpty()) {
            finishClose();
            return;
        }
        // Accepted sends still go out; flush() or the send timer ends the close. No message is read meanwhile.
        this.closing = true;
        updateInterest();
    }

    @Override
    void closeChannel() {
        this.closing = true;
        this.loop.cancel(this.sendTimer);
        this.sendTimer = null;
        if (this.connectCallback != null) {
            this.loop.cancel(this.connectTimer);
            this.connectTimer = null;
            AsyncCallback<Void> callback = this.connectCallback;
            this.connectCallback = null;
            BusinessError error = new BusinessError(BusinessError.NOT_BOUND,
                    "socket was closed while connecting to " + Addresses.describe(this.connectTarget));
            this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, error);
            fail(callback, error);
        }
        failQueued(Errors::closed);
        releaseChannel();
        this.remote = null;
        // Releases the bytes of an unfinished frame.
        this.frames = null;
    }

    @Override
    public void loopStopped() {
        finishClose();
    }

    // ---- channel and selector

    @Override
    public void handleReady(SelectionKey key, int readyOps) {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && !this.closing && !isClosed() && !isCloseRequested()) {
            try {
                read();
            }
            finally {
                this.factory.dispatcher().batchEnded(this);
            }
        }
    }

    @Override
    public void keyChanged(SelectionKey key) {
        this.key = key;
    }

    /**
     * Opens the channel with every option known so far, before it is bound or connected, so that reuse-address
     * and the buffer sizes take effect where they must.
     */
    private void openChannel(int family) throws IOException {
        SocketChannel opened = SocketChannel
            .open((family == NetAddress.IPV4) ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            opened.configureBlocking(false);
            ExtraOptionsSupport.apply(opened, options());
            // Registered at once with no interest, so that a stopping loop finds and closes it.
            this.key = this.loop.register(opened, 0, this);
        }
        catch (IOException | RuntimeException ex) {
            NioSocket.closeQuietly(opened);
            throw ex;
        }
        this.channel = opened;
        this.family = family;
        this.interest = 0;
    }

    /**
     * Cancels the key and closes the channel. A registered non-blocking channel never blocks here: the JDK closes
     * its descriptor when the key leaves the selector and, for SO_LINGER above 0, turns linger off and shuts the
     * output down instead (FIN after the queued bytes), so a lingering close cannot stall the loop. Linger 0 still
     * resets the connection.
     */
    private void releaseChannel() {
        if (this.key != null) {
            this.key.cancel();
            this.key = null;
        }
        NioSocket.closeQuietly(this.channel);
        this.channel = null;
        this.interest = 0;
    }

    /**
     * Sets the interest set from the state: OP_CONNECT while connecting; OP_READ while connected and not closing;
     * OP_WRITE only while something is queued, so that an idle connection never wakes the loop.
     */
    private void updateInterest() {
        if (this.key == null || !this.key.isValid()) {
            return;
        }
        int ops;
        if (this.connectCallback != null) {
            ops = SelectionKey.OP_CONNECT;
        }
        else if (hasState(CONNECTED)) {
            ops = (this.closing ? 0 : SelectionKey.OP_READ) | (this.outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        }
        else {
            ops = 0;
        }
        if (ops != this.interest) {
            this.key.interestOps(ops);
            this.interest = ops;
        }
    }

    /** The options to apply to a new channel: the factory's defaults until setExtraOptions changed them. */
    private TCPExtraOptions options() {
        return (this.options != null) ? this.options : this.factory.settings().tcpDefaults();
    }

    private long timeoutNanos(Integer socketTimeoutMillis) {
        return (socketTimeoutMillis != null && socketTimeoutMillis > 0)
                ? TimeUnit.MILLISECONDS.toNanos(socketTimeoutMillis)
                : this.factory.settings().sendTimeout().toNanos();
    }

}
