package dev.netstack.socket.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.tls.TlsConfig;
import dev.netstack.socket.nio.tls.TlsEngine;
import dev.netstack.socket.nio.tls.TlsEngineListener;
import dev.netstack.socket.nio.tls.TlsFailures;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

/**
 * The TLS of one stream socket, between its channel and its delivery, as Netty's {@code SslHandler} sits in a
 * pipeline: what the socket reads goes through {@link #receive} and comes out as plaintext into the socket's
 * {@link StreamDelivery} (framing included); each send is wrapped into records ({@link #wrap}) before it joins the
 * socket's {@link StreamWriter}, where the engine's own records (handshake, alerts, close_notify) queue in the order
 * the engine made them. The handshake runs under a loop timer.
 *
 * <p>Loop only, but {@link #session()}, which monitoring reads. Memory: the engine's working buffers are the loop's
 * ({@link EventLoop#tlsScratch()}); the layer holds the engine and, between reads, at most one unfinished record.
 */
final class TlsLayer implements TlsEngineListener {

    /** Reads of what the peer sent before a close, at most: a peer that keeps sending is reset anyway. */
    private static final int DRAINS_AT_CLOSE = 4;

    /** How long a close waits for the peer to end its side of the connection, at most. */
    static final long PEER_END_WAIT_MILLIS = 2000;

    private final NioStreamSocket socket;

    private final TlsHandshakeListener owner;

    private TlsEngine engine;

    private long startedNanos;

    /** The handshake's timeout, then the wait of a close for the peer's end. */
    private LoopTimer timer;

    /** Set once a close waits for the peer's end. */
    private boolean awaitingPeerEnd;

    /** Set when the handshake ended, either way: the observers hear of each handshake once. */
    private boolean ended;

    /**
     * Plaintext that came before the socket had a consumer: with the handshake's last records, in the read that
     * ended it. It waits for a 'message' callback; at most one read's worth, as reading stops without a consumer.
     */
    private ByteBuffer held;

    /** Read once when the handshake finishes; read by other threads. */
    private volatile TlsSessionInfo session;

    private <S extends NioStreamSocket & TlsHandshakeListener> TlsLayer(S socket) {
        this.socket = socket;
        this.owner = socket;
    }

    /**
     * Puts a TLS layer between a connected socket's channel and its delivery and starts the handshake: a client
     * sends its hello at once, a server waits for the client's. Bytes the socket held from before the upgrade are
     * the first the engine reads.
     * @param socket a connected stream socket, on its loop
     * @param config the configuration of the connect or listen
     * @param client whether this side is the client
     * @param timeoutNanos how long the handshake may take
     */
    static <S extends NioStreamSocket & TlsHandshakeListener> void start(S socket, TlsConfig config, boolean client,
            long timeoutNanos) {
        TlsLayer layer = new TlsLayer(socket);
        layer.startedNanos = System.nanoTime();
        NetAddress peer = socket.remoteAddress();
        try {
            layer.engine = client ? config.newClientEngine(layer, socket.loop.tlsScratch())
                    : config.newServerEngine(peer.address(), peer.port(), layer, socket.loop.tlsScratch());
        }
        catch (RuntimeException ex) {
            // A source of TLS defaults that fails (a bundle that cannot load) fails this handshake, not the loop.
            BusinessError error = new BusinessError(BusinessError.TLS_HANDSHAKE_FAILED,
                    "cannot start the TLS handshake with " + Addresses.describe(peer) + ": " + ex.getMessage(), ex);
            socket.factory.dispatcher().handshakeCompleted(socket, 0, error);
            socket.tlsFailed(error);
            return;
        }
        socket.tls = layer;
        long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        layer.timer = socket.loop.schedule(timeoutNanos, TimeUnit.NANOSECONDS, () -> layer.timedOut(millis));
        ByteBuffer early = socket.early;
        socket.early = null;
        try {
            layer.engine.beginHandshake();
            if (early != null && early.hasRemaining()) {
                layer.engine.receive(early);
            }
        }
        catch (BusinessError ex) {
            layer.failed(ex);
            return;
        }
        socket.writer().flushQueued();
        socket.updateInterest();
    }

    /**
     * Takes what the socket read: records become plaintext for the delivery, handshake records answers for the
     * writer, which get their first write once the engine has returned.
     * @param read the bytes, in read mode, valid during the call only
     */
    void receive(ByteBuffer read) {
        try {
            this.engine.receive(read);
        }
        catch (BusinessError ex) {
            failed(ex);
            return;
        }
        this.socket.writer().flushQueued();
    }

    /**
     * Wraps a send into records, replacing its payload: the plaintext is not kept once its records exist.
     * @param send a send of the application
     * @return {@code false} when it failed (before the handshake finished, after the session ended); the send has its
     * error then
     */
    boolean wrap(PendingSend send) {
        try {
            send.data(this.engine.wrap(send.data()));
            return true;
        }
        catch (BusinessError ex) {
            this.socket.fail(send, ex);
            if (ex.getCode() == BusinessError.TLS_HANDSHAKE_FAILED && this.engine.isClosed()) {
                // The engine itself failed: the session is over for every send.
                this.socket.connectionFailed(ex, false);
            }
            return false;
        }
    }

    /** Ends the session after the accepted sends: close_notify joins the writer's queue behind them. */
    void close() {
        if (this.engine.isHandshakeFinished() && !this.engine.isClosed()) {
            this.engine.close();
        }
    }

    /**
     * A close has handed every send and this side's close_notify to the kernel, but the peer may still be sending:
     * session tickets that were late, its own close_notify. Closing the socket now would make the kernel answer
     * them with a reset, which throws away whatever of ours the peer has not read yet. So the write side ends here
     * (FIN after close_notify) and reading goes on, dropping what comes, until the peer ends its side or
     * {@value #PEER_END_WAIT_MILLIS} ms have passed; then the socket closes.
     * @return whether the close waits; {@code false} before the handshake finished, after the peer's close_notify,
     * or when the write side cannot be ended
     */
    boolean awaitPeerEnd() {
        if (this.awaitingPeerEnd) {
            return true;
        }
        SocketChannel channel = this.socket.channel;
        if (!isEstablished() || this.engine.isCloseNotifyReceived() || channel == null) {
            return false;
        }
        try {
            channel.shutdownOutput();
        }
        catch (IOException ex) {
            return false;
        }
        this.awaitingPeerEnd = true;
        this.timer = this.socket.loop.schedule(PEER_END_WAIT_MILLIS, TimeUnit.MILLISECONDS, this.socket::finishClose);
        this.socket.updateInterest();
        return true;
    }

    /** Reads while a close waits for the peer's end and drops what comes; closes the socket at the end of it. */
    void dropUntilPeerEnd() {
        if (dropReachesPeerEnd()) {
            this.socket.finishClose();
        }
    }

    /**
     * Reads what the peer sent, up to {@value #DRAINS_AT_CLOSE} times, and drops it.
     * @return whether the peer's end came: its FIN, or a reset
     */
    private boolean dropReachesPeerEnd() {
        SocketChannel channel = this.socket.channel;
        try {
            for (int i = 0; i < DRAINS_AT_CLOSE && channel != null && channel.isOpen(); i++) {
                int read = channel.read(this.socket.loop.readBuffer());
                if (read <= 0) {
                    return read < 0;
                }
            }
            return false;
        }
        catch (IOException | RuntimeException ex) {
            // Reset by the peer: the connection is over either way.
            return true;
        }
    }

    /**
     * Tells whether a close waits for the peer's end ({@link #awaitPeerEnd()}).
     * @return whether it waits
     */
    boolean awaitingPeerEnd() {
        return this.awaitingPeerEnd;
    }

    /**
     * The socket is closing: the timer goes, a handshake still under way ends as a failure for the observers, and
     * what the peer sent meanwhile (a session ticket, say) is read and dropped: a socket closed with unread bytes
     * resets the connection, and the peer would lose what it has not read of ours yet.
     */
    void release() {
        this.socket.loop.cancel(this.timer);
        this.timer = null;
        this.held = null;
        if (!this.ended) {
            handshakeEnded(Errors.closed());
        }
        dropReachesPeerEnd();
    }

    /**
     * Returns what the session negotiated.
     * @return the session, or {@code null} before the handshake finished
     */
    TlsSessionInfo session() {
        return this.session;
    }

    /**
     * Tells whether the handshake has finished.
     * @return whether the session is established
     */
    boolean isEstablished() {
        return this.session != null;
    }

    // ---- what the engine hands out, inside its calls

    @Override
    public void outbound(ByteBuffer records) {
        this.socket.writer().addRecords(records);
    }

    @Override
    public void plaintext(ByteBuffer data) {
        if (!this.socket.takesMessages()) {
            return;
        }
        if (this.held == null && this.socket.wantsToRead()) {
            this.socket.delivery.deliver(data);
            return;
        }
        // Nobody receives it yet: kept, in order, for the first consumer.
        ByteBuffer kept = this.held;
        if (kept == null || kept.remaining() < data.remaining()) {
            int size = ((kept != null) ? kept.position() : 0) + data.remaining();
            ByteBuffer grown = ByteBuffer.allocate(size);
            if (kept != null) {
                grown.put(kept.flip());
            }
            kept = grown;
        }
        this.held = kept.put(data);
    }

    /** A consumer may have arrived: the plaintext held for it is delivered, as one read's messages. */
    void deliverHeld() {
        if (this.held == null || !this.socket.wantsToRead() || !this.socket.takesMessages()) {
            return;
        }
        ByteBuffer bytes = this.held.flip();
        this.held = null;
        this.socket.delivery.deliver(bytes);
        this.socket.factory.dispatcher().batchEnded(this.socket);
    }

    @Override
    public void handshakeFinished() {
        this.session = this.engine.sessionInfo();
        handshakeEnded(null);
        this.owner.tlsEstablished();
    }

    /**
     * The peer ended the session. With sends of the application still queued, they fail with 2303506 and so does the
     * connection ('error'); otherwise this side's close_notify goes out and the socket closes, as after a FIN.
     */
    @Override
    public void closeNotifyReceived() {
        if (this.socket.writer().hasSends()) {
            this.socket.connectionFailed(new BusinessError(BusinessError.TLS_PEER_CLOSED, this.engine.peer()
                    + " ended the TLS session (close_notify) while sends were pending"), false);
            return;
        }
        this.engine.close();
        this.socket.peerClosed();
    }

    // ---- failures

    /**
     * The transport ended (FIN, reset) before the handshake did: the handshake fails with it.
     * @param error the transport's failure, or {@code null} for the peer's FIN
     * @return {@code false} when the handshake was over already, and the socket ends the connection as usual
     */
    boolean transportEnded(BusinessError error) {
        if (this.ended) {
            return false;
        }
        failed((error != null) ? error : new BusinessError(BusinessError.TLS_HANDSHAKE_FAILED,
                this.engine.peer() + " closed the connection during the TLS handshake"));
        return true;
    }

    private void timedOut(long millis) {
        this.timer = null;
        failed(TlsFailures.handshakeTimedOut(this.engine.peer(), millis));
    }

    /** The handshake or the session failed: the engine's alert gets one write, then the connection ends. */
    private void failed(BusinessError error) {
        if (this.socket.isClosed()) {
            return;
        }
        if (!this.ended) {
            handshakeEnded(error);
            this.owner.tlsFailed(error);
        }
        else {
            this.socket.connectionFailed(error, false);
        }
    }

    private void handshakeEnded(BusinessError failure) {
        this.ended = true;
        this.socket.loop.cancel(this.timer);
        this.timer = null;
        this.socket.factory.dispatcher().handshakeCompleted(this.socket, System.nanoTime() - this.startedNanos,
                failure);
    }

}
