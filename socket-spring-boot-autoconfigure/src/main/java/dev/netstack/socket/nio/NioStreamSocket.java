package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

/**
 * One connected byte stream on a non-blocking {@link SocketChannel}, served by one event loop: the send path, the
 * read path and the end of a connection that every stream socket shares (a {@code TCPSocket} that connected, a
 * connection that a server accepted).
 *
 * <p>Sends go through the {@link StreamWriter}, in call order. Reads take up to {@value #READS_PER_WAKEUP} chunks per
 * wake-up into the loop's shared buffer and hand them to the {@link StreamDelivery} ('message' events), through the
 * {@link TlsLayer} on a TLS socket, which also wraps the sends into records. Reads run only while
 * {@link #wantsToRead()} says so, so a connection without a consumer leaves the bytes in the kernel, and not while
 * reading is suspended ({@link #suspendReading()}), when TCP's flow control holds the peer back.
 *
 * <p>The connection ends in one of four ways, each emitting 'close' once: {@code close()} (after the queued sends
 * reach the kernel), the peer's FIN (likewise), a reset or other I/O failure ('error' first), or a send that makes
 * no progress for {@code socketTimeout} ('error' 2301110 first, then a reset).
 */
abstract class NioStreamSocket extends NioSocket implements ChannelHandler {

    private static final System.Logger logger = Loggers.of(NioStreamSocket.class);

    /** Reads per wake-up before the loop serves other channels. */
    static final int READS_PER_WAKEUP = 16;

    /**
     * The send path: queue, flush and send timeout. Made by the first send (or handshake record), so that a
     * connection that never sends holds none. Loop only, except {@link #pendingBytes()}.
     */
    private StreamWriter writer;

    // Loop only.
    SocketChannel channel;

    SelectionKey key;

    /** The interest set last given to the key, so that unchanged sets cost no call. */
    int interest;

    /**
     * The initial options merged with every setExtraOptions: applied again when a new channel is opened.
     * {@code null} while they are the factory's defaults, so that most sockets share one object.
     */
    private TCPExtraOptions options;

    /** No more reads or new sends: the queue is flushing before the close, or the connection has failed. */
    boolean closing;

    /** The peer ended its output: nothing more is read, and the close waits behind the sends accepted so far. */
    private boolean inputEnded;

    /** Turns what is read (or its plaintext, under TLS) into 'message' events. Loop only. */
    final StreamDelivery delivery = new StreamDelivery(this);

    /**
     * The TLS layer between the channel and the socket, as Netty's SslHandler: reads go through it to
     * {@link #delivery}, sends are wrapped into records by it. {@code null} for TCP, and for a TLS socket until its
     * handshake starts. Written on the loop; volatile because monitoring reads the session through it.
     */
    volatile TlsLayer tls;

    /** Bytes a socket handed over with its connection had read and not delivered; for the handshake. Loop only. */
    ByteBuffer early;

    /** Written on the loop, read by monitoring and getRemoteAddress. */
    private volatile NetAddress remote;

    /**
     * Makes a stream socket.
     * @param initialOptions the options its channel starts with: the factory's TCP defaults, or those a server
     * passes on to its connections
     */
    NioStreamSocket(long id, EventLoop loop, NioSocketFactory factory, Protocol protocol,
            TCPExtraOptions initialOptions) {
        super(id, loop, factory, protocol);
        // Most sockets keep the factory's defaults: they share that object instead of holding their own.
        this.options = (initialOptions != factory.settings().tcpDefaults()) ? initialOptions : null;
    }

    /**
     * Returns the send path, made on first use. Loop only.
     * @return the writer
     */
    StreamWriter writer() {
        StreamWriter current = this.writer;
        if (current == null) {
            current = new StreamWriter(this, options().getSocketTimeout());
            this.writer = current;
        }
        return current;
    }

    private boolean nothingQueued() {
        return this.writer == null || this.writer.isEmpty();
    }

    @Override
    public long pendingBytes() {
        StreamWriter current = this.writer;
        return (current != null) ? current.queuedBytes() : 0;
    }

    @Override
    public NetAddress remoteAddress() {
        return this.remote;
    }

    @Override
    long sendQueueLimit() {
        return this.factory.settings().sendQueueLimit();
    }

    // ---- the connection

    /**
     * Loop only: the connection is established on {@link #channel}; reports its addresses and starts reading when
     * there is a consumer.
     * @param peer the peer's address, formatted once per connection for 'message' events
     */
    void established(NetAddress peer) {
        this.remote = peer;
        addState(CONNECTED);
        updateInterest();
    }

    /**
     * Loop only: registers a channel that is open and configured non-blocking, with no interest yet, so that a
     * stopping loop finds and closes it.
     * @param opened the channel
     * @throws IOException when it cannot be registered
     */
    void attach(SocketChannel opened) throws IOException {
        this.key = this.loop.register(opened, 0, this);
        this.channel = opened;
        this.interest = 0;
    }

    /**
     * Loop only: reports the local and peer addresses of an accepted channel and marks the socket connected.
     * @param accepted the channel, attached
     * @param addresses the server's addresses, which its connections share where they repeat
     * @throws IOException when the channel cannot tell them
     */
    void adoptAddresses(SocketChannel accepted, AcceptedAddresses addresses) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteAddress();
        bound(addresses.local(Channels.localSocketAddress(accepted, null)));
        established(addresses.peer(peer));
    }

    /**
     * Loop only: emits the 'message' event of one read or frame.
     * @param bytes the bytes, owned by the event from now on
     */
    void emitMessage(byte[] bytes) {
        emit(SocketEventType.MESSAGE, new SocketMessageInfo(bytes, this.delivery.remoteInfo(bytes.length)));
    }

    /**
     * Tells whether a connect is in progress; OP_CONNECT is then the only interest.
     * @return {@code false} unless a client socket is connecting
     */
    boolean connecting() {
        return false;
    }

    /** Loop only: OP_CONNECT fired. Only a connecting client socket has it. */
    void connectReady() {
    }

    /** Loop only: the socket closes while a connect is in progress; fail it. */
    void abortConnect() {
    }

    /**
     * Tells whether the socket reads: it has a consumer for what it reads. A client socket always reads; a
     * connection reads once it has a 'message' callback or the factory's observers want messages.
     * @return whether OP_READ may be set
     */
    boolean wantsToRead() {
        return true;
    }

    // ---- send

    public CompletableFuture<Void> send(TCPSendOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        send(options, Callbacks.completing(result));
        return result;
    }

    public void send(TCPSendOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        send(options.data(), options.encoding(), callback);
    }

    /**
     * The send of every stream socket: converts the payload on the caller's thread and queues it on the loop.
     * @param payload a {@code String}, {@code byte[]} or {@code ByteBuffer}
     * @param encoding the charset of a {@code String}, {@code null} for UTF-8
     * @param callback receives the result
     */
    final void send(Object payload, String encoding, AsyncCallback<Void> callback) {
        ByteBuffer data;
        try {
            data = Payloads.toBuffer(payload, Payloads.charset(encoding));
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        if (!data.hasRemaining() && protocol() == Protocol.TLS) {
            // As the reference: a record of no plaintext tells the peer nothing.
            fail(callback, Errors.parameter("data is empty: a TLS send needs at least one byte"));
            return;
        }
        PendingSend send = PendingSend.accept(this, data, null, callback);
        if (send != null) {
            onLoop(send, send);
        }
    }

    @Override
    void sendOnLoop(PendingSend send) {
        // Not "close requested": a send accepted before close() was called still goes out, as users expect.
        if (isClosed() || this.closing) {
            fail(send, Errors.closed());
            return;
        }
        if (!hasState(CONNECTED)) {
            fail(send, notConnected());
            return;
        }
        TlsLayer layer = this.tls;
        if (layer != null && !layer.wrap(send)) {
            // Failed already: before the handshake finished, or after the session ended.
            return;
        }
        // The send queue limit was kept when send() accepted it: what is here fits.
        writer().add(send);
    }

    /**
     * The failure of a send before the connection is established.
     * @return the error, 2301107
     */
    BusinessError notConnected() {
        return new BusinessError(BusinessError.NOT_CONNECTED, "socket is not connected: call connect() before send()");
    }

    // ---- read

    /**
     * Tells whether a delivered message may be followed by another.
     * @return {@code false} once a callback has closed the socket
     */
    boolean takesMessages() {
        return !(this.closing || isCloseRequested() || isClosed());
    }

    // ---- framing

    /**
     * Sets how the stream is cut into 'message' events, as {@code TCPSocket.setFraming} says.
     * @param framing the framing
     */
    public void setFraming(Framing framing) {
        this.delivery.setFraming(framing);
    }

    /**
     * The peer sent FIN. There is no half-open state in this API: the socket closes, after its queued sends are out
     * (a peer that only shut down its output still reads them). Callbacks of this read batch may have accepted sends
     * (an echo) whose tasks wait in the loop's queue: the close waits behind them, as it does behind a close() call.
     */
    void peerClosed() {
        logger.log(Level.DEBUG, () -> this + ": " + Addresses.describe(this.remote) + " closed the connection");
        this.inputEnded = true;
        updateInterest();
        if (!this.loop.tryExecute(this::closeAfterPeer)) {
            closeAfterPeer();
        }
    }

    private void closeAfterPeer() {
        if (isClosed() || this.closing) {
            // A close() or a failure ends the connection already.
            return;
        }
        this.closing = true;
        if (nothingQueued()) {
            finishClose();
        }
        updateInterest();
    }

    /**
     * The connection failed (reset, broken pipe, send timeout): every queued send fails, 'error' fires, then the
     * socket closes and 'close' fires.
     * @param error the failure
     * @param reset whether to reset the connection instead of ending it with FIN
     */
    void connectionFailed(BusinessError error, boolean reset) {
        connectionFailed(error, reset, true);
    }

    /**
     * The connection failed: every queued send fails, 'error' fires when {@code report} says so, then the socket
     * closes. Under TLS the records the layer queued last (its alert) get one write first, a courtesy to the peer.
     * @param error the failure
     * @param reset whether to reset the connection instead of ending it with FIN
     * @param report whether to emit 'error' (not for a handshake, whose failure its connect result or nobody gets)
     */
    void connectionFailed(BusinessError error, boolean reset, boolean report) {
        if (isClosed()) {
            return;
        }
        // Set first: a close() from one of the callbacks below then waits for finishClose() instead of running it,
        // so that 'error' still comes before 'close'.
        this.closing = true;
        if (this.tls != null && !reset) {
            writer().writeOnce();
        }
        if (this.writer != null) {
            this.writer.failQueued(() -> new BusinessError(error.getCode(), error.getMessage(), error.getCause()));
        }
        if (reset) {
            Channels.resetOnClose(this.channel);
        }
        logger.log(Level.DEBUG, () -> this + ": " + error.getMessage());
        if (report) {
            emit(SocketEventType.ERROR, error);
        }
        finishClose();
    }

    // ---- remote address, options

    public CompletableFuture<NetAddress> getRemoteAddress() {
        return Callbacks.future(callback -> getRemoteAddress(callback));
    }

    public void getRemoteAddress(AsyncCallback<NetAddress> callback) {
        if (refuseCall(callback)) {
            return;
        }
        NetAddress peer = this.remote;
        if (peer == null) {
            fail(callback, new BusinessError(BusinessError.NOT_CONNECTED,
                    "socket is not connected: call connect() before getRemoteAddress()"));
        }
        else {
            succeed(callback, peer);
        }
    }

    /**
     * Loop only: applies options to the open channel and keeps them for a later one ({@link StreamOptions}).
     * @param update the options to apply; only set fields
     * @param callback receives the result
     */
    void applyOnLoop(TCPExtraOptions update, AsyncCallback<Void> callback) {
        StreamOptions.apply(this, update, callback);
    }

    /**
     * Loop only: keeps options that the channel took, for a later channel and the send timeout.
     * @param update the options applied
     */
    void optionsApplied(TCPExtraOptions update) {
        this.options = options().merge(update);
        if (update.getSocketTimeout() != null && this.writer != null) {
            this.writer.sendTimeout(update.getSocketTimeout());
        }
    }

    @Override
    Map<String, Object> readOptions() {
        return StreamOptions.readBack(this);
    }

    /** The options to apply to a new channel: the initial ones until setExtraOptions changed them. */
    TCPExtraOptions options() {
        return (this.options != null) ? this.options : this.factory.settings().tcpDefaults();
    }

    // ---- close

    @Override
    void beginClose() {
        if (this.closing) {
            // Already flushing after the peer's FIN, or failing: finishClose() answers this close too.
            return;
        }
        if (this.tls != null) {
            // close_notify, queued behind every send accepted before this close.
            this.tls.close();
        }
        if (connecting()) {
            finishClose();
            return;
        }
        // Accepted sends still go out; flush() or the send timer ends the close. No message is read meanwhile.
        this.closing = true;
        if (nothingQueued()) {
            flushedForClose();
        }
        updateInterest();
    }

    /** Loop only: a close found every accepted send in the kernel; TLS may wait for the peer's end first. */
    void flushedForClose() {
        if (this.tls == null || this.inputEnded || !this.tls.awaitPeerEnd()) {
            finishClose();
        }
    }

    @Override
    void closeChannel() {
        this.closing = true;
        if (this.writer != null) {
            this.writer.cancelTimer();
        }
        if (connecting()) {
            abortConnect();
        }
        if (this.writer != null) {
            this.writer.failQueued(Errors::closed);
        }
        if (this.tls != null) {
            this.tls.release();
        }
        releaseChannel();
        this.remote = null;
        // Releases the bytes of an unfinished frame.
        this.delivery.release();
    }

    @Override
    public void loopStopped() {
        finishClose();
    }

    // ---- channel and selector

    @Override
    public void handleReady(SelectionKey key, int readyOps) {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            connectReady();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && this.writer != null) {
            this.writer.flush();
        }
        // Readiness selected before a suspension or the loss of the consumer took OP_READ off is not acted on: the
        // interest set catches up instead, or the level-triggered selector would report the unread bytes every turn.
        if ((readyOps & SelectionKey.OP_READ) == 0) {
            return;
        }
        if (this.tls != null && this.tls.awaitingPeerEnd()) {
            this.tls.dropUntilPeerEnd();
        }
        else if (!this.closing && !this.inputEnded && !isClosed() && !isCloseRequested()) {
            if (isReadingSuspended() || !wantsToRead()) {
                updateInterest();
                return;
            }
            try {
                this.delivery.read();
            }
            finally {
                this.factory.dispatcher().batchEnded(this);
            }
        }
    }

    @Override
    void readingSuspensionChanged() {
        updateInterest();
    }

    @Override
    public void keyChanged(SelectionKey key) {
        this.key = key;
    }

    /**
     * Cancels the key and closes the channel. A registered non-blocking channel never blocks here: the JDK closes
     * its descriptor when the key leaves the selector and, for SO_LINGER above 0, turns linger off and shuts the
     * output down instead (FIN after the queued bytes), so a lingering close cannot stall the loop. Linger 0 still
     * resets the connection.
     */
    void releaseChannel() {
        if (this.key != null) {
            this.key.cancel();
            this.key = null;
        }
        Channels.closeQuietly(this.channel);
        this.channel = null;
        this.interest = 0;
    }

    /**
     * Sets the interest set from the state: OP_CONNECT while connecting; OP_READ while connected, not closing and
     * wanting to read, or while a TLS close waits for the peer's end; OP_WRITE only while something is queued, so
     * that an idle connection never wakes the loop.
     */
    void updateInterest() {
        if (this.key == null || !this.key.isValid()) {
            return;
        }
        int ops = 0;
        if (connecting()) {
            ops = SelectionKey.OP_CONNECT;
        }
        else if (hasState(CONNECTED)) {
            boolean reading = !this.inputEnded && (this.closing ? this.tls != null && this.tls.awaitingPeerEnd()
                    : !isReadingSuspended() && wantsToRead());
            ops = (reading ? SelectionKey.OP_READ : 0) | (nothingQueued() ? 0 : SelectionKey.OP_WRITE);
        }
        if (ops != this.interest) {
            this.key.interestOps(ops);
            this.interest = ops;
        }
    }

    @Override
    boolean emits(SocketEventType<?> type) {
        return type.isTcp();
    }

    @Override
    public TlsSessionInfo tlsSession() {
        TlsLayer layer = this.tls;
        return (layer != null) ? layer.session() : null;
    }

    /** Registers a callback; a 'message' callback may be the consumer a connection waits for before it reads. */
    @Override
    public <T> void on(SocketEventType<T> type, Callback<T> callback) {
        super.on(type, callback);
        if (type.ordinal() == SocketEventType.MESSAGE.ordinal()) {
            // Any kind's 'message' (a local socket has its own type). On the loop, where the interest set lives; a
            // stopped loop has nothing left to read.
            this.loop.tryExecute(this::consumerArrived);
        }
    }

    /** Loop only: a consumer may have arrived; plaintext a TLS layer held for it goes first. */
    private void consumerArrived() {
        if (this.tls != null) {
            this.tls.deliverHeld();
        }
        updateInterest();
    }

}
