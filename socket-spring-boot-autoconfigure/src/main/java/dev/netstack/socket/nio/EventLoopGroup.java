package dev.netstack.socket.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link EventLoop}s. Sockets are spread over them round-robin and stay on theirs for life.
 */
public final class EventLoopGroup {

    private final List<EventLoop> loops;

    private final AtomicInteger next = new AtomicInteger();

    EventLoopGroup(int threads, String threadNamePrefix, SocketStats stats) {
        if (threads < 1) {
            throw new IllegalArgumentException("io threads " + threads + " must be at least 1");
        }
        EventLoop[] created = new EventLoop[threads];
        try {
            for (int i = 0; i < threads; i++) {
                created[i] = new EventLoop(threadNamePrefix + (i + 1), stats);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open a selector", ex);
        }
        this.loops = List.of(created);
        this.loops.forEach(EventLoop::start);
    }

    /**
     * Picks the loop for a new socket.
     * @return the next loop, round-robin
     */
    EventLoop next() {
        return this.loops.get(Math.floorMod(this.next.getAndIncrement(), this.loops.size()));
    }

    /**
     * Returns the loops, for health checks.
     * @return the loops in a fixed order
     */
    public List<EventLoop> loops() {
        return this.loops;
    }

    /**
     * Tells whether the caller runs on one of these loops.
     * @return {@code true} on a loop thread, e.g. in a socket callback
     */
    boolean inEventLoop() {
        for (EventLoop loop : this.loops) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops every loop: each runs the tasks already queued, closes the channels still registered and runs the tasks
     * left in its queue. The waits go on when the caller is interrupted; the interrupt is kept.
     * @param deadlineNanos when to stop waiting for the threads to end, on the {@link System#nanoTime()} clock
     * @return whether every thread ended in time
     */
    boolean shutdown(long deadlineNanos) {
        for (EventLoop loop : this.loops) {
            // Queued behind the tasks already posted (operations handed over while the factory was closing), so that
            // they run while their channels are still open. A loop that has stopped refuses it: nothing to do then.
            loop.tryExecute(loop::shutdown);
        }
        boolean all = true;
        for (EventLoop loop : this.loops) {
            if (loop.inEventLoop()) {
                // Called from a socket callback: this thread ends when the callback returns.
                continue;
            }
            all &= Uninterruptibly.await(deadlineNanos, nanos -> loop.awaitTermination(nanos, TimeUnit.NANOSECONDS));
        }
        return all;
    }

}
