package dev.netstack.socket.nio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;

/**
 * A send accepted and not yet completed. It is also the task that carries the send to its socket's loop and the
 * callback through which its outcome is delivered, so that a send costs one object of the engine's own.
 *
 * <p>The send queue limit of every socket kind is kept here, on the caller's thread: {@link #accept} charges the
 * socket with what the send holds in memory (its payload plus {@value #OVERHEAD} bytes for its objects) before the
 * send is queued anywhere, the loop's task queue included, and its outcome gives the charge back. A send that does
 * not fit fails at once, on the caller's thread, with 2301105: a refusal queues nothing, so a caller that never
 * waits for its results cannot make a socket hold more than its limit.
 *
 * <p>Compares by identity, as every task must: two sends with the same socket, bytes and callback are still two
 * sends, and a task taken back from a queue must be the one that was offered.
 */
final class PendingSend implements Runnable, AsyncCallback<Void> {

    /**
     * What a queued send holds besides its payload bytes: this object, the payload's array header and
     * {@code ByteBuffer}, the promise form's future and its callback, a node of the loop's task queue or a slot of
     * the socket's queue. Measured at 180 to 220 bytes on a 64-bit JVM with compressed pointers; rounded up.
     */
    static final int OVERHEAD = 256;

    private static final AtomicLongFieldUpdater<NioSocket> CHARGE = AtomicLongFieldUpdater
        .newUpdater(NioSocket.class, "sendCharge");

    private final NioSocket socket;

    /** The payload; under TLS, replaced on the loop by the records that carry it. */
    private ByteBuffer data;

    /** Set on the loop once a host name is resolved; {@code null} on a connection. */
    private InetSocketAddress target;

    private final int size;

    private final AsyncCallback<Void> callback;

    private PendingSend(NioSocket socket, ByteBuffer data, InetSocketAddress target, AsyncCallback<Void> callback) {
        this.socket = socket;
        this.data = data;
        this.target = target;
        this.size = data.remaining();
        this.callback = callback;
    }

    /**
     * Accepts a send if the socket's send queue has room for it, on the caller's thread. An empty queue takes any
     * send up to the limit, so that one send of exactly the limit still goes out.
     * @param socket the sending socket
     * @param data the bytes to send
     * @param target the destination, or {@code null} on a connection or while a host name is resolved
     * @param callback receives the outcome
     * @return the send, now charged to the socket; {@code null} when it was refused, and {@code callback} has
     *         already received 2301105 on this thread
     */
    static PendingSend accept(NioSocket socket, ByteBuffer data, InetSocketAddress target,
            AsyncCallback<Void> callback) {
        int size = data.remaining();
        long limit = socket.sendQueueLimit();
        long cost = (long) size + OVERHEAD;
        long charged;
        do {
            charged = socket.sendCharge;
            if (size > limit || (charged != 0 && charged + cost > limit)) {
                refuse(socket, callback, size, limit);
                return null;
            }
        }
        while (!CHARGE.compareAndSet(socket, charged, charged + cost));
        return new PendingSend(socket, data, target, callback);
    }

    /**
     * Fails a send that does not fit, at once: delivering it on the loop would queue a task per refusal, and a
     * caller that sends in a loop would grow that queue without bound.
     */
    private static void refuse(NioSocket socket, AsyncCallback<Void> callback, int size, long limit) {
        String message = (size > limit)
                ? "send of " + size + " bytes is larger than the send queue limit of " + limit + " bytes"
                : "send of " + size + " bytes would take the send queue past its limit of " + limit + " bytes";
        socket.factory.dispatcher()
            .complete(socket, callback,
                    socket.systemError(BusinessError.withoutStackTrace(BusinessError.NO_BUFFER_SPACE, message)), null);
    }

    /**
     * Makes the queue entry of records that a TLS layer made by itself (handshake, alerts, close_notify): uncharged,
     * with no caller to tell, so the stream's writer skips it when it completes or fails sends.
     * @param socket the socket whose queue takes them
     * @param records the records
     * @return the entry
     */
    static PendingSend records(NioSocket socket, ByteBuffer records) {
        return new PendingSend(socket, records, null, null);
    }

    /**
     * Tells whether this entry holds records of a TLS layer rather than a send of the application.
     * @return whether it has no caller
     */
    boolean isRecords() {
        return this.callback == null;
    }

    /** On the loop: hands the send to its socket. */
    @Override
    public void run() {
        this.socket.sendOnLoop(this);
    }

    /**
     * Gives the send's charge back, then tells the caller: a callback that sends again finds the room this send
     * held. Runs once per send, through {@link NioSocket#succeed} or {@link NioSocket#fail}.
     */
    @Override
    public void onResult(BusinessError error, Void value) {
        CHARGE.getAndAdd(this.socket, -((long) this.size + OVERHEAD));
        this.callback.onResult(error, value);
    }

    /**
     * Loop only: sets the destination once its host name is resolved.
     * @param resolved the address
     * @return this send
     */
    PendingSend resolvedTo(InetSocketAddress resolved) {
        this.target = resolved;
        return this;
    }

    /**
     * Returns the bytes still to write; their position advances as they are written.
     * @return the buffer
     */
    ByteBuffer data() {
        return this.data;
    }

    /**
     * Loop only: replaces the payload by the TLS records that carry it, before the send is queued; the charge stays
     * the payload's, as for TCP.
     * @param records the records
     */
    void data(ByteBuffer records) {
        this.data = records;
    }

    /**
     * Returns the destination.
     * @return the address, or {@code null} on a connection
     */
    InetSocketAddress target() {
        return this.target;
    }

    /**
     * Returns the number of bytes the send had when accepted.
     * @return the size
     */
    int size() {
        return this.size;
    }

}
