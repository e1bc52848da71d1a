package dev.netstack.socket.nio;

/**
 * A task that an {@link EventLoop} runs once at a deadline, unless cancelled first. Created, fired and cancelled
 * only on its loop, so it needs no synchronisation.
 */
public final class LoopTimer implements Comparable<LoopTimer> {

    private final long deadlineNanos;

    private final long sequence;

    private final Runnable task;

    private boolean cancelled;

    LoopTimer(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    /**
     * Cancels the timer; it will not run. Call on the loop only.
     */
    public void cancel() {
        this.cancelled = true;
    }

    boolean isCancelled() {
        return this.cancelled;
    }

    long deadlineNanos() {
        return this.deadlineNanos;
    }

    Runnable task() {
        return this.task;
    }

    @Override
    public int compareTo(LoopTimer other) {
        int byDeadline = Long.compare(this.deadlineNanos - other.deadlineNanos, 0);
        return (byDeadline != 0) ? byDeadline : Long.compare(this.sequence, other.sequence);
    }

}
