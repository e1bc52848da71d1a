package dev.netstack.socket.bench.contender;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bookkeeping of one ping-pong run: one ping outstanding at a time, the round-trip time of each round after the
 * warm-up kept in an array. Used from one thread at a time (the contender's receiving thread), handed over by the
 * latch.
 */
public final class Rounds {

    private final int warmup;

    private final long[] samples;

    private final int total;

    private final CountDownLatch finished = new CountDownLatch(1);

    private int done;

    private long sentAt;

    /**
     * Plans a run.
     * @param warmup rounds not recorded
     * @param measured rounds recorded
     */
    public Rounds(int warmup, int measured) {
        this.warmup = warmup;
        this.samples = new long[measured];
        this.total = warmup + measured;
    }

    /**
     * Notes that a ping is about to go out.
     */
    public void sending() {
        this.sentAt = System.nanoTime();
    }

    /**
     * Notes that the pong arrived.
     * @return {@code true} when another ping must be sent
     */
    public boolean pong() {
        long rtt = System.nanoTime() - this.sentAt;
        if (this.done >= this.warmup) {
            this.samples[this.done - this.warmup] = rtt;
        }
        this.done++;
        if (this.done >= this.total) {
            this.finished.countDown();
            return false;
        }
        return true;
    }

    /**
     * Waits for the last pong.
     * @param timeout the most to wait
     * @param unit its unit
     * @return the round-trip times in nanoseconds, in order
     * @throws TimeoutException when the run did not end in time
     * @throws InterruptedException when interrupted
     */
    public long[] await(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        if (!this.finished.await(timeout, unit)) {
            throw new TimeoutException("ping-pong stalled after " + this.done + " of " + this.total + " rounds");
        }
        return this.samples;
    }

}
