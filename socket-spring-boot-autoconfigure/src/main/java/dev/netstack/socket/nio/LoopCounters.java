package dev.netstack.socket.nio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The traffic that one event loop adds to the totals of one protocol. Only that loop writes, so an add is a plain
 * store instead of the atomic instruction of a shared {@link java.util.concurrent.atomic.LongAdder}, four of which
 * per round trip were a measurable part of its latency; readers sum the loops' counters. Opaque accesses keep each
 * 64-bit value whole for a reader on another thread.
 */
final class LoopCounters {

    private static final VarHandle BYTES_RECEIVED = field("bytesReceived");

    private static final VarHandle MESSAGES_RECEIVED = field("messagesReceived");

    private static final VarHandle BYTES_SENT = field("bytesSent");

    private static final VarHandle MESSAGES_SENT = field("messagesSent");

    private long bytesReceived;

    private long messagesReceived;

    private long bytesSent;

    private long messagesSent;

    /** Its loop only: a datagram or a read of a stream arrived. */
    void received(int bytes) {
        BYTES_RECEIVED.setOpaque(this, this.bytesReceived + bytes);
        MESSAGES_RECEIVED.setOpaque(this, this.messagesReceived + 1);
    }

    /** Its loop only: the kernel took bytes. */
    void sent(int bytes) {
        BYTES_SENT.setOpaque(this, this.bytesSent + bytes);
    }

    /** Its loop only: a send completed. */
    void sendCompleted() {
        MESSAGES_SENT.setOpaque(this, this.messagesSent + 1);
    }

    long bytesReceived() {
        return (long) BYTES_RECEIVED.getOpaque(this);
    }

    long messagesReceived() {
        return (long) MESSAGES_RECEIVED.getOpaque(this);
    }

    long bytesSent() {
        return (long) BYTES_SENT.getOpaque(this);
    }

    long messagesSent() {
        return (long) MESSAGES_SENT.getOpaque(this);
    }

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(LoopCounters.class, name, long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

}
