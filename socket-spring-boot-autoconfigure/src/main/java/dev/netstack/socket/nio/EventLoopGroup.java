package dev.netstack.socket.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
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
     * Stops every loop: each closes the channels still registered and runs the tasks left in its queue.
     * @param timeout how long to wait for the threads to end
     * @return whether every thread ended in time
     */
    boolean shutdown(Duration timeout) {
        this.loops.forEach(EventLoop::shutdown);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (EventLoop loop : this.loops) {
            if (loop.inEventLoop()) {
                // Called from a socket callback: this thread ends when the callback returns.
                continue;
            }
            try {
                all &= loop.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }

}
