package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.netstack.socket.BusinessError;

/**
 * The write side of one stream socket: its {@link TcpOutboundBuffer}, the flush that empties it in gathering writes,
 * and the send timeout. Every send of a TCP or TLS stream goes through here in call order, and so do the records a
 * TLS layer makes by itself (handshake, alerts, close_notify), behind what was queued before them.
 *
 * <p>A send to an empty queue is written when the loop has run the tasks that came with it, in the same turn, so
 * that a burst of sends goes out in one gathering write; what the kernel does not take waits and goes out while
 * OP_WRITE is set, which is only while something is queued. One timer runs while the queue waits and fails the
 * connection when the kernel took nothing for {@code socketTimeout}. Loop only, except {@link #queuedBytes()}.
 */
final class StreamWriter {

    private static final System.Logger logger = Loggers.of(StreamWriter.class);

    /** Write attempts per wake-up before the loop serves other channels. */
    static final int WRITES_PER_WAKEUP = 16;

    private final NioStreamSocket socket;

    private final TcpOutboundBuffer outbound;

    private long sendTimeoutNanos;

    private LoopTimer sendTimer;

    /** When the queue last moved, or started to wait: the send timeout counts from here. */
    private long lastProgressNanos;

    /** Set when the queue moved or started to wait since {@link #lastProgressNanos} was last stamped. */
    private boolean progressUnstamped;

    /** Set while this writer waits for its loop to flush it after the tasks. */
    private boolean flushPending;

    /** Set while a flush runs: completion callbacks run inside it, and a flush must never start inside another. */
    private boolean flushing;

    /**
     * @param socket the socket whose sends these are
     * @param socketTimeoutMillis the socket's {@code socketTimeout}, or {@code null} for the factory's send timeout
     */
    StreamWriter(NioStreamSocket socket, Integer socketTimeoutMillis) {
        this.socket = socket;
        this.outbound = new TcpOutboundBuffer(socket.stats());
        this.sendTimeoutNanos = timeoutNanos(socket.factory, socketTimeoutMillis);
    }

    /**
     * Returns the send timeout of a socket.
     * @param factory its factory, whose send timeout applies when the socket has none
     * @param socketTimeoutMillis the socket's {@code socketTimeout}, or {@code null}
     * @return nanoseconds
     */
    static long timeoutNanos(NioSocketFactory factory, Integer socketTimeoutMillis) {
        return (socketTimeoutMillis != null && socketTimeoutMillis > 0)
                ? TimeUnit.MILLISECONDS.toNanos(socketTimeoutMillis)
                : factory.settings().sendTimeout().toNanos();
    }

    boolean isEmpty() {
        return this.outbound.isEmpty();
    }

    /**
     * Returns the bytes accepted and not yet handed to the kernel; any thread.
     * @return the bytes queued
     */
    long queuedBytes() {
        return this.outbound.queuedBytes();
    }

    long sendTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos);
    }

    /**
     * Queues a send; with nothing queued before, the loop flushes it after the tasks of this turn, with the sends
     * queued behind it. Otherwise OP_WRITE is set, and the flush on the next wake-up takes it in call order.
     * @param send a send the socket accepted, its bytes final (wrapped into records under TLS)
     */
    void add(PendingSend send) {
        boolean wasEmpty = this.outbound.isEmpty();
        this.outbound.add(send);
        if (!wasEmpty) {
            this.outbound.publish();
            return;
        }
        // The wait for the kernel starts now.
        this.progressUnstamped = true;
        if (!this.flushPending) {
            // Written once the loop has run the tasks queued with it: sends that came in a burst, from other threads
            // or from the completions of one write, go out together in one gathering write, which publishes the
            // pending total.
            this.flushPending = true;
            this.socket.loop.flushAfterTasks(this);
        }
    }

    /** Called by the loop after its tasks, once per {@link EventLoop#flushAfterTasks(StreamWriter)}. */
    void flushAfterTasks() {
        this.flushPending = false;
        flushQueued();
    }

    /**
     * Queues records that the TLS layer made by itself, uncharged: they are the session's, not the application's.
     * Nothing is written before {@link #flushQueued()}: the layer calls it once the engine call has returned.
     * @param records whole records
     */
    void addRecords(ByteBuffer records) {
        if (this.outbound.isEmpty()) {
            this.progressUnstamped = true;
        }
        this.outbound.add(PendingSend.records(this.socket, records));
        this.outbound.publish();
    }

    /** Writes what is queued, if anything. */
    void flushQueued() {
        if (!this.outbound.isEmpty() && !this.socket.isClosed()) {
            flush();
        }
    }

    /**
     * Writes queued sends, up to {@value #WRITES_PER_WAKEUP} attempts, and completes those written whole; ends a
     * close that waited for the queue.
     */
    void flush() {
        try {
            writeQueued();
        }
        finally {
            this.outbound.publish();
        }
    }

    private void writeQueued() {
        NioStreamSocket owner = this.socket;
        if (this.flushing || owner.channel == null) {
            return;
        }
        this.flushing = true;
        try {
            for (int i = 0; i < WRITES_PER_WAKEUP && !this.outbound.isEmpty() && !owner.isClosed(); i++) {
                long written = this.outbound.write(owner.channel, owner.loop.gatherBuffers());
                if (written > 0) {
                    owner.countSent((int) written);
                    this.progressUnstamped = true;
                }
                // Before the callbacks: a caller that saw its sends complete finds them out of the pending bytes.
                this.outbound.publish();
                completeWritten();
                if (this.outbound.kernelFull(written)) {
                    break;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            this.flushing = false;
            owner.connectionFailed(
                    owner.systemError(Errors.io("send to " + Addresses.describe(owner.remoteAddress()), ex)), false);
            return;
        }
        finally {
            this.flushing = false;
        }
        if (owner.isClosed()) {
            // A completion callback closed the socket.
            return;
        }
        if (this.outbound.isEmpty()) {
            this.progressUnstamped = false;
            cancelTimer();
            if (owner.closing) {
                owner.flushedForClose();
                return;
            }
        }
        else {
            if (this.progressUnstamped) {
                // Read the clock only for a queue that waits: a send written whole at once needs no timestamp.
                this.progressUnstamped = false;
                this.lastProgressNanos = System.nanoTime();
            }
            if (this.sendTimer == null) {
                armSendTimer(this.sendTimeoutNanos);
            }
        }
        owner.updateInterest();
    }

    private void completeWritten() {
        PendingSend done;
        // Taken off the queue before its callback runs, which may send or close re-entrantly.
        while ((done = this.outbound.pollWritten()) != null) {
            if (done.isRecords()) {
                continue;
            }
            this.socket.countSendCompleted();
            this.socket.succeed(done, null);
        }
    }

    /**
     * One write of the queue, completing nothing: what the kernel takes now goes out before a failed connection
     * closes (a TLS alert).
     */
    void writeOnce() {
        try {
            if (this.socket.channel != null) {
                this.outbound.write(this.socket.channel, this.socket.loop.gatherBuffers());
            }
        }
        catch (IOException | RuntimeException ex) {
            logger.log(Level.DEBUG, () -> this.socket + ": the last records did not go out: " + ex.getMessage());
        }
        finally {
            this.outbound.publish();
        }
    }

    /**
     * Fails the queued sends of the application; the records of a TLS layer go with the connection.
     * @param error makes the error of each send
     */
    void failQueued(Supplier<BusinessError> error) {
        PendingSend send;
        while ((send = this.outbound.poll()) != null) {
            if (!send.isRecords()) {
                this.socket.fail(send, error.get());
            }
        }
        this.outbound.publish();
    }

    /**
     * Moves everything queued to another writer, behind what it holds: a connection handed to another socket.
     * @param successor the writer of that socket
     */
    void transferTo(StreamWriter successor) {
        PendingSend send;
        while ((send = this.outbound.poll()) != null) {
            if (successor.outbound.isEmpty()) {
                successor.progressUnstamped = true;
            }
            successor.outbound.add(send);
        }
        this.outbound.publish();
        successor.outbound.publish();
    }

    /**
     * Tells whether sends of the application wait in the queue.
     * @return whether one is queued
     */
    boolean hasSends() {
        return this.outbound.hasSends();
    }

    /**
     * Changes the send timeout; a queue that waits already is checked against the new one at once, as it may have
     * waited longer than that already.
     * @param socketTimeoutMillis the new {@code socketTimeout}; 0 for the factory's send timeout
     */
    void sendTimeout(int socketTimeoutMillis) {
        this.sendTimeoutNanos = timeoutNanos(this.socket.factory, socketTimeoutMillis);
        if (this.sendTimer != null) {
            this.socket.loop.cancel(this.sendTimer);
            armSendTimer(0);
        }
    }

    void cancelTimer() {
        this.socket.loop.cancel(this.sendTimer);
        this.sendTimer = null;
    }

    private void armSendTimer(long delayNanos) {
        this.sendTimer = this.socket.loop.schedule(delayNanos, TimeUnit.NANOSECONDS, this::sendTimerFired);
    }

    /**
     * Checks the queue for progress. One timer runs while the queue waits, and it moves on by itself instead of
     * being cancelled and scheduled again on every write.
     */
    private void sendTimerFired() {
        this.sendTimer = null;
        if (this.socket.isClosed() || this.outbound.isEmpty()) {
            return;
        }
        long idle = System.nanoTime() - this.lastProgressNanos;
        if (idle < this.sendTimeoutNanos) {
            armSendTimer(this.sendTimeoutNanos - idle);
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(this.sendTimeoutNanos);
        this.socket.connectionFailed(this.socket.systemError(new BusinessError(BusinessError.TIMED_OUT,
                "the kernel took no byte of " + this.outbound.queuedBytes() + " queued for "
                        + Addresses.describe(this.socket.remoteAddress()) + " within socketTimeout " + millis + " ms")),
                true);
    }

}
