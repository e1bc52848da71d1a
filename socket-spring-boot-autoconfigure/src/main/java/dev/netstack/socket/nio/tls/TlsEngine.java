package dev.netstack.socket.nio.tls;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

import dev.netstack.socket.BusinessError;

/**
 * The TLS of one connection, between a transport and a socket, as Netty's {@code SslHandler} is: it owns the
 * {@link SSLEngine}, turns the bytes the transport read into plaintext ({@link #receive}), turns the application's
 * messages into records ({@link #wrap}), drives the handshake, and makes close_notify ({@link #close}). It never
 * touches a channel: the owner feeds it what it read and writes what it is given, so the transport never knows TLS.
 *
 * <p>Threads: confined to the owner's thread (the connection's event loop), like the {@link TlsScratch} it shares
 * with the loop's other engines; not thread-safe. Delegated tasks (key exchange, signatures, the chain check) run
 * inline: each takes about a millisecond, less than a hop to another thread and back would cost the handshake rate.
 *
 * <p>Memory: the packet and application buffers are the loop's ({@link TlsScratch}), sized to the session's sizes,
 * which are read once per connection. The connection itself holds only the part of a record that a read ended in,
 * in a buffer of the session's packet size, made the first time a read ends mid-record.
 *
 * <p>Failures are thrown as {@link BusinessError}: 2303504 when the peer's certificate fails verification, 2303505
 * for every other handshake or record failure. Before throwing, the engine hands its fatal alert to
 * {@link TlsEngineListener#outbound}, so the owner can write it before closing; the engine is unusable afterwards.
 */
public final class TlsEngine {

    private static final System.Logger logger = System.getLogger(TlsEngine.class.getName());

    /** A record's header: content type, version, length. */
    private static final int HEADER_SIZE = 5;

    /** The most plaintext one record carries (2^14). */
    private static final int MAX_PLAINTEXT = 16384;

    /** What a record adds to its plaintext at most when the session does not tell: header, IV, MAC, padding. */
    private static final int DEFAULT_OVERHEAD = 325;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;

    private final TlsEngineListener listener;

    private final TlsScratch scratch;

    private final String peer;

    private int packetSize;

    private int applicationSize;

    /** The start of a record that a read ended in, in write mode; made when a read first ends mid-record. */
    private ByteBuffer partial;

    private boolean handshakeStarted;

    private boolean handshakeFinished;

    private boolean closeNotifyReceived;

    /** {@link #close()} was called: no more plaintext is delivered, nothing more is wrapped. */
    private boolean closed;

    private BusinessError failure;

    TlsEngine(SSLEngine engine, TlsEngineListener listener, TlsScratch scratch) {
        this.engine = engine;
        this.listener = listener;
        this.scratch = scratch;
        String host = engine.getPeerHost();
        this.peer = ((host != null && host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + engine.getPeerPort();
        // Before the handshake the session reports the largest sizes any session of this engine may need.
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.applicationSize = engine.getSession().getApplicationBufferSize();
    }

    /**
     * Starts the handshake. A client's hello goes to {@link TlsEngineListener#outbound} at once; a server waits for
     * the client's. Calling it again does nothing.
     * @throws BusinessError 2303505 when the engine cannot start (no protocol or suite enabled)
     */
    public void beginHandshake() {
        if (this.handshakeStarted) {
            return;
        }
        this.handshakeStarted = true;
        try {
            this.engine.beginHandshake();
        }
        catch (SSLException | RuntimeException ex) {
            throw fail(ex);
        }
        drive();
    }

    /**
     * Takes the bytes the transport read: unwraps every whole record in them, handing plaintext, handshake records,
     * the end of the handshake and close_notify to the listener in stream order, and keeps the start of an
     * unfinished record for the next read. A server that did not call {@link #beginHandshake()} starts here.
     * @param source the bytes read, in read mode; consumed entirely
     * @throws BusinessError 2303504 or 2303505 when the handshake or a record fails; again on every later call
     */
    public void receive(ByteBuffer source) {
        if (this.failure != null) {
            source.position(source.limit());
            throw again(this.failure);
        }
        this.handshakeStarted = true;
        if (this.partial != null && this.partial.position() > 0 && !completePartial(source)) {
            source.position(source.limit());
            return;
        }
        if (!unwrapAll(source)) {
            // close_notify, or close() from a callback: nothing after it belongs to the session.
            source.position(source.limit());
            return;
        }
        if (source.hasRemaining()) {
            keepPartial(source);
        }
    }

    /**
     * Adds bytes to the kept start of a record until it is whole, then unwraps it, so that at most one record per
     * read is copied; the rest of the read is unwrapped where it lies.
     * @return whether to go on with {@code source}: false when it ran out first, or the session stopped
     */
    private boolean completePartial(ByteBuffer source) {
        ByteBuffer kept = this.partial;
        transfer(source, kept, HEADER_SIZE - kept.position());
        if (kept.position() < HEADER_SIZE) {
            return false;
        }
        int recordSize = HEADER_SIZE + (((kept.get(3) & 0xFF) << 8) | (kept.get(4) & 0xFF));
        if (recordSize > kept.capacity()) {
            // Not a record this session can hold: the engine names the fault from the header, or this does.
            if (!unwrapKept(kept)) {
                return false;
            }
            throw fail(new SSLException("a record of " + recordSize + " bytes is larger than the " + this.packetSize
                    + " bytes a TLS record may have"));
        }
        transfer(source, kept, recordSize - kept.position());
        if (kept.position() < recordSize) {
            return false;
        }
        if (!unwrapKept(kept)) {
            return false;
        }
        if (kept.position() > 0) {
            throw fail(new SSLException("the engine left " + kept.position() + " bytes of a whole " + recordSize
                    + "-byte record"));
        }
        return true;
    }

    private boolean unwrapKept(ByteBuffer kept) {
        kept.flip();
        boolean go = unwrapAll(kept);
        kept.compact();
        return go;
    }

    private void keepPartial(ByteBuffer source) {
        if (this.partial == null || this.partial.capacity() < source.remaining()) {
            this.partial = ByteBuffer.allocate(Math.max(this.packetSize, source.remaining()));
        }
        this.partial.put(source);
    }

    private static void transfer(ByteBuffer from, ByteBuffer to, int count) {
        int n = Math.min(count, from.remaining());
        if (n > 0) {
            ByteBuffer slice = from.slice().limit(n);
            to.put(slice);
            from.position(from.position() + n);
        }
    }

    /**
     * Unwraps records until the engine needs more bytes.
     * @return whether the session goes on; false after close_notify or {@link #close()}
     */
    private boolean unwrapAll(ByteBuffer in) {
        int idle = 0;
        while (in.hasRemaining() && idle < 2) {
            if (this.closed) {
                return false;
            }
            ByteBuffer plaintext = this.scratch.application(this.applicationSize);
            SSLEngineResult result;
            try {
                result = this.engine.unwrap(in, plaintext);
            }
            catch (SSLException | RuntimeException ex) {
                throw fail(ex);
            }
            Status status = result.getStatus();
            if (status == Status.BUFFER_UNDERFLOW) {
                // The rest is the start of a record; a session may need a larger packet buffer than announced.
                this.packetSize = Math.max(this.packetSize, this.engine.getSession().getPacketBufferSize());
                return true;
            }
            if (status == Status.BUFFER_OVERFLOW) {
                this.applicationSize = Math.max(this.applicationSize * 2,
                        this.engine.getSession().getApplicationBufferSize());
                continue;
            }
            if (status == Status.CLOSED) {
                return inboundClosed();
            }
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                handshakeFinished();
            }
            if (plaintext.position() > 0) {
                this.listener.plaintext(plaintext.flip());
            }
            drive();
            // A call that moved nothing twice in a row waits for more bytes instead of spinning.
            idle = (result.bytesConsumed() == 0 && result.bytesProduced() == 0) ? idle + 1 : 0;
        }
        return !this.closed;
    }

    private boolean inboundClosed() {
        if (!this.engine.isInboundDone()) {
            // Our own close() closed the engine: the rest of the input is not read.
            return false;
        }
        this.closeNotifyReceived = true;
        // Under TLS 1.2 the engine answers with its own close_notify: it goes out before the owner hears of the end.
        drive();
        this.listener.closeNotifyReceived();
        return false;
    }

    /** Runs what the handshake asks for (delegated tasks, records to send) until it waits for the peer or is done. */
    private void drive() {
        while (this.failure == null) {
            HandshakeStatus status = this.engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            else if (status != HandshakeStatus.NEED_WRAP || !wrapOwn()) {
                break;
            }
        }
        if (!this.handshakeFinished && this.handshakeStarted && this.failure == null
                && this.engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !"NONE".equals(this.engine.getSession().getProtocol())) {
            // The JDK reports FINISHED from one wrap or unwrap only; a session that is up without it is up anyway.
            handshakeFinished();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = this.engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Wraps the records the engine makes by itself and hands them to the listener in one buffer.
     * @return whether anything was made
     */
    private boolean wrapOwn() {
        ByteBuffer out = this.scratch.packet(this.packetSize);
        boolean finished = false;
        boolean produced = false;
        while (true) {
            SSLEngineResult result;
            try {
                result = this.engine.wrap(EMPTY, out);
            }
            catch (SSLException | RuntimeException ex) {
                emit(out);
                throw fail(ex);
            }
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                int needed = Math.max(this.packetSize, this.engine.getSession().getPacketBufferSize());
                if (out.position() == 0 && out.capacity() >= needed) {
                    throw fail(new SSLException("the engine needs a packet buffer above " + out.capacity() + " bytes"));
                }
                this.packetSize = needed;
                emit(out);
                out = this.scratch.packet(this.packetSize);
                continue;
            }
            produced |= result.bytesProduced() > 0;
            finished |= result.getHandshakeStatus() == HandshakeStatus.FINISHED;
            if (result.getStatus() == Status.CLOSED || result.bytesProduced() == 0
                    || this.engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
            if (out.remaining() < this.packetSize) {
                emit(out);
                out = this.scratch.packet(this.packetSize);
            }
        }
        emit(out);
        if (finished) {
            // After the last records went out, so that what the owner sends now follows them.
            handshakeFinished();
        }
        return produced;
    }

    /** Hands the records in a scratch buffer to the listener, in a buffer of their exact size. */
    private void emit(ByteBuffer out) {
        out.flip();
        if (out.hasRemaining()) {
            ByteBuffer records = ByteBuffer.allocate(out.remaining());
            records.put(out).flip();
            this.listener.outbound(records);
        }
        out.clear();
    }

    private void handshakeFinished() {
        if (this.handshakeFinished) {
            return;
        }
        this.handshakeFinished = true;
        this.listener.handshakeFinished();
    }

    /**
     * Wraps one application message into records: each record carries at most 16 KiB of it and no bytes of
     * another message. Records that the engine must send first (a key update) come before them in the same buffer.
     * @param plaintext the message, in read mode; consumed entirely
     * @return the records, in a new buffer of about the message's size, for the send queue
     * @throws BusinessError 2303501 before the handshake has finished; 2303506 after the peer's close_notify, under
     * TLS 1.3 too; 2303505 when the engine fails or was closed
     */
    public ByteBuffer wrap(ByteBuffer plaintext) {
        if (this.failure != null) {
            throw again(this.failure);
        }
        if (!this.handshakeFinished) {
            throw TlsFailures.noSession("wrap()");
        }
        if (this.closeNotifyReceived) {
            // Under TLS 1.3 the engine would still wrap (a half-close); the API ends the session either way.
            throw new BusinessError(BusinessError.TLS_PEER_CLOSED, this.peer + " ended the TLS session");
        }
        int size = plaintext.remaining();
        int records = (size + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
        int overhead = (this.packetSize > MAX_PLAINTEXT) ? this.packetSize - MAX_PLAINTEXT : DEFAULT_OVERHEAD;
        // Several records go straight into one buffer of their estimated size; one record is copied at its size.
        ByteBuffer out = (records > 1) ? ByteBuffer.allocate(size + records * overhead) : null;
        while (plaintext.hasRemaining() || this.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            ByteBuffer packet = this.scratch.packet(this.packetSize);
            SSLEngineResult result;
            try {
                result = this.engine.wrap(plaintext, packet);
            }
            catch (SSLException | RuntimeException ex) {
                throw fail(ex);
            }
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                int needed = this.engine.getSession().getPacketBufferSize();
                if (needed <= this.packetSize) {
                    throw fail(new SSLException("the engine needs a packet buffer above " + this.packetSize));
                }
                this.packetSize = needed;
                continue;
            }
            if (result.getStatus() == Status.CLOSED) {
                throw new BusinessError(BusinessError.TLS_HANDSHAKE_FAILED,
                        "the TLS session with " + this.peer + " is closed");
            }
            out = append(out, packet.flip());
            if (this.engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        if (plaintext.hasRemaining()) {
            // Never a silent loss: a message that cannot be wrapped whole fails whole.
            throw fail(new SSLException("the engine took " + (size - plaintext.remaining()) + " of " + size
                    + " bytes and then no more"));
        }
        return (out != null) ? out.flip() : ByteBuffer.allocate(0);
    }

    private static ByteBuffer append(ByteBuffer out, ByteBuffer bytes) {
        if (out == null) {
            return ByteBuffer.allocate(bytes.remaining()).put(bytes);
        }
        ByteBuffer target = out;
        if (target.remaining() < bytes.remaining()) {
            target = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes.remaining()));
            target.put(out.flip());
        }
        return target.put(bytes);
    }

    /**
     * Ends the session: close_notify goes to {@link TlsEngineListener#outbound}, behind every record made so far.
     * No plaintext is delivered afterwards and nothing more can be wrapped. Never throws; idempotent.
     */
    public void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        if (this.failure == null) {
            this.engine.closeOutbound();
            flushClosing();
        }
    }

    /**
     * Hands the engine's last records (close_notify, or the fatal alert of a failure) to the listener. A courtesy to
     * the peer: if the engine cannot make them, the connection closes without.
     */
    private void flushClosing() {
        ByteBuffer out = this.scratch.packet(this.packetSize);
        try {
            while (!this.engine.isOutboundDone() && out.remaining() >= this.packetSize) {
                if (this.engine.wrap(EMPTY, out).bytesProduced() == 0) {
                    break;
                }
            }
        }
        catch (SSLException | RuntimeException ex) {
            logger.log(Level.DEBUG, () -> "No closing record for " + this.peer + ": " + ex.getMessage());
        }
        emit(out);
    }

    private BusinessError fail(Exception ex) {
        if (this.failure != null) {
            return again(this.failure);
        }
        BusinessError error = TlsFailures.classify(ex, this.peer, this.handshakeFinished);
        this.failure = error;
        this.closed = true;
        // The engine has queued its fatal alert: it goes to the listener before the owner hears of the failure.
        flushClosing();
        return error;
    }

    private static BusinessError again(BusinessError failure) {
        return new BusinessError(failure.getCode(), failure.getMessage(), failure.getCause());
    }

    /**
     * Tells whether the handshake has finished.
     * @return whether {@link #wrap} and {@link #sessionInfo} work
     */
    public boolean isHandshakeFinished() {
        return this.handshakeFinished;
    }

    /**
     * Tells whether the peer ended the session with close_notify.
     * @return whether close_notify was received
     */
    public boolean isCloseNotifyReceived() {
        return this.closeNotifyReceived;
    }

    /**
     * Tells whether the session is over for this side: {@link #close()} was called, or the engine failed.
     * @return whether nothing more can be wrapped
     */
    public boolean isClosed() {
        return this.closed;
    }

    /**
     * Returns the bytes of an unfinished record held between reads.
     * @return 0 when the last read ended on a record boundary
     */
    public int bufferedBytes() {
        return (this.partial != null) ? this.partial.position() : 0;
    }

    /**
     * Returns what the session negotiated, read from the session on each call rather than kept per connection.
     * @return the protocol, suite, peer certificate, peer signature schemes and ALPN choice
     * @throws BusinessError 2303501 before the handshake has finished
     */
    public TlsSessionInfo sessionInfo() {
        if (!this.handshakeFinished) {
            throw TlsFailures.noSession("the session's details");
        }
        return TlsSessionInfo.of(this.engine);
    }

    /**
     * Returns the peer, for messages.
     * @return e.g. {@code 127.0.0.1:443}
     */
    public String peer() {
        return this.peer;
    }

    @Override
    public String toString() {
        return "TlsEngine[" + (this.engine.getUseClientMode() ? "client to " : "server for ") + this.peer + "]";
    }

}
