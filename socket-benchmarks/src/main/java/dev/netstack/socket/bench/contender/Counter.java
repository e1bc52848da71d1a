package dev.netstack.socket.bench.contender;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts messages and bytes written by one receiving thread and read by the measuring thread.
 *
 * <p>Single writer: a release store instead of an atomic add, so that counting costs every contender the same few
 * nanoseconds and no lock prefix is added to a receive loop.
 */
public final class Counter {

    private static final VarHandle MESSAGES;

    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MESSAGES = lookup.findVarHandle(Counter.class, "messages", long.class);
            BYTES = lookup.findVarHandle(Counter.class, "bytes", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private long messages;

    private long bytes;

    /**
     * Counts one message. Call from the one receiving thread only.
     * @param size its size in bytes
     */
    public void add(int size) {
        MESSAGES.setRelease(this, this.messages + 1);
        BYTES.setRelease(this, this.bytes + size);
    }

    /**
     * Returns the messages counted so far; any thread.
     * @return the count
     */
    public long messages() {
        return (long) MESSAGES.getAcquire(this);
    }

    /**
     * Returns the bytes counted so far; any thread.
     * @return the bytes
     */
    public long bytes() {
        return (long) BYTES.getAcquire(this);
    }

}
