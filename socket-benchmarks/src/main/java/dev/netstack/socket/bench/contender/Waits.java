package dev.netstack.socket.bench.contender;

import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Spin-then-yield waiting without allocation, for benchmark loops that must not add garbage of their own.
 */
public final class Waits {

    /** Gives up after this long: a lost datagram or a stuck contender must fail the run, not hang it. */
    private static final long TIMEOUT_NANOS = 10_000_000_000L;

    private Waits() {
    }

    /**
     * Waits until the condition holds.
     * @param condition checked repeatedly; must not allocate
     * @param what named in the timeout message
     * @throws TimeoutException after 10 s
     */
    public static void until(BooleanSupplier condition, String what) throws TimeoutException {
        long start = System.nanoTime();
        int spins = 0;
        while (!condition.getAsBoolean()) {
            if (++spins < 1000) {
                Thread.onSpinWait();
            }
            else {
                Thread.yield();
                if ((spins & 1023) == 0 && System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new TimeoutException(what + " did not complete within 10 s");
                }
            }
        }
    }

}
