package dev.netstack.socket.nio;

import java.util.PriorityQueue;

/**
 * The timers of one event loop, ordered by deadline. Loop only.
 *
 * <p>Cancelling is lazy, as in Netty: a cancelled timer drops its task and stays in the heap, which costs O(1)
 * instead of the O(n) of removing it from a binary heap (closing n sockets with pending connects would otherwise
 * take O(n&sup2;)). Cancelled timers leave when they reach the head, or all at once when they make up more than half
 * of the heap: that purge costs O(n) after at least n/2 cancels, so each cancel stays O(1) amortised, and cancelled
 * timers never hold more memory than the live ones.
 */
final class TimerQueue {

    /** Below this many cancelled timers a purge is not worth its pass over the heap. */
    static final int PURGE_THRESHOLD = 64;

    private final PriorityQueue<LoopTimer> heap = new PriorityQueue<>();

    private long sequence;

    /** The cancelled timers still in the heap. */
    private int cancelled;

    /**
     * Adds a timer.
     * @param deadlineNanos when it is due, on the {@link System#nanoTime()} clock
     * @param task what to run then
     * @return the timer, to cancel it
     */
    LoopTimer schedule(long deadlineNanos, Runnable task) {
        LoopTimer timer = new LoopTimer(deadlineNanos, this.sequence++, task);
        this.heap.add(timer);
        return timer;
    }

    /**
     * Cancels a timer: it will not run. Nothing happens for one that has fired or was cancelled already.
     * @param timer the timer, may be {@code null}
     */
    void cancel(LoopTimer timer) {
        if (timer == null || timer.end() == null) {
            return;
        }
        this.cancelled++;
        if (this.cancelled >= PURGE_THRESHOLD && this.cancelled > this.heap.size() / 2) {
            this.heap.removeIf((candidate) -> !candidate.isPending());
            this.cancelled = 0;
        }
    }

    /**
     * Returns the next timer to run, dropping the cancelled ones before it.
     * @return the timer, or {@code null} when none is pending
     */
    LoopTimer next() {
        LoopTimer head;
        while ((head = this.heap.peek()) != null && !head.isPending()) {
            this.heap.poll();
            this.cancelled--;
        }
        return head;
    }

    /**
     * Takes the task of the next timer if it is due.
     * @param nowNanos the time now, on the {@link System#nanoTime()} clock
     * @return the task, or {@code null} when no timer is due
     */
    Runnable pollDue(long nowNanos) {
        LoopTimer head = next();
        if (head == null || head.deadlineNanos() - nowNanos > 0) {
            return null;
        }
        this.heap.poll();
        return head.end();
    }

    /**
     * Returns how many timers the heap holds, cancelled ones not yet purged included.
     * @return the size
     */
    int size() {
        return this.heap.size();
    }

}
