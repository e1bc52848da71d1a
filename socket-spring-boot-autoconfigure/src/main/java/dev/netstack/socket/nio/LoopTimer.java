package dev.netstack.socket.nio;

/**
 * A task that an {@link EventLoop} runs once at a deadline, unless cancelled first. Created, fired and cancelled
 * only on its loop, through its {@link TimerQueue}, so it needs no synchronisation.
 */
final class LoopTimer implements Comparable<LoopTimer> {

    private final long deadlineNanos;

    private final long sequence;

    /** {@code null} once the timer has fired or was cancelled: a cancelled timer left in the queue holds nothing. */
    private Runnable task;

    LoopTimer(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    /**
     * Tells whether the timer is still to run.
     * @return {@code false} once it has fired or was cancelled
     */
    boolean isPending() {
        return this.task != null;
    }

    /**
     * Ends the timer: afterwards it is no longer pending.
     * @return its task, to run when it fires; {@code null} when it had ended already
     */
    Runnable end() {
        Runnable ended = this.task;
        this.task = null;
        return ended;
    }

    long deadlineNanos() {
        return this.deadlineNanos;
    }

    @Override
    public int compareTo(LoopTimer other) {
        int byDeadline = Long.compare(this.deadlineNanos - other.deadlineNanos, 0);
        return (byDeadline != 0) ? byDeadline : Long.compare(this.sequence, other.sequence);
    }

}
