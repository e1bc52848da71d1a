package dev.netstack.socket.nio;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the system resolver: every name is 127.0.0.1 and ::1. It counts look-ups, and holds the first
 * {@code held} of them until {@link #release()}, as a slow or stuck DNS server does. A held look-up ignores
 * interrupts, as the JDK's own look-up does.
 */
final class StandInLookup implements HostResolver.Lookup {

    /** A name that only this stand-in knows. */
    static final String NAME = "stand-in.test";

    /** The longest a look-up is held, so that a test that forgets to release leaves no thread stuck for ever. */
    private static final long MAX_HOLD_SECONDS = 60;

    private final int held;

    private final AtomicInteger calls = new AtomicInteger();

    private final CountDownLatch holding;

    private final CountDownLatch release = new CountDownLatch(1);

    StandInLookup(int held) {
        this.held = held;
        this.holding = new CountDownLatch(1);
    }

    @Override
    public InetAddress[] lookup(String host) throws UnknownHostException {
        if (this.calls.incrementAndGet() <= this.held) {
            this.holding.countDown();
            holdUntilReleased();
        }
        return new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }),
                InetAddress.getByAddress(host, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }) };
    }

    private void holdUntilReleased() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_HOLD_SECONDS);
        while (true) {
            try {
                this.release.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the first held look-up has begun.
     * @throws AssertionError when it does not begin in time
     */
    void awaitHolding() throws InterruptedException {
        if (!this.holding.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no look-up began within 10 s");
        }
    }

    /** Lets every held look-up, and every later one, answer. */
    void release() {
        this.release.countDown();
    }

    /**
     * Returns how many look-ups were asked for.
     * @return the count
     */
    int calls() {
        return this.calls.get();
    }

}
