package dev.netstack.socket.nio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits of the shutdown that an interrupt does not cut short: a closing thread that is interrupted must still let the
 * sockets flush within the timeout. The interrupt is remembered and set again once the wait is over.
 */
final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /**
     * Waits until a future ends or the deadline passes.
     * @param future the future
     * @param deadlineNanos the deadline, on the {@link System#nanoTime()} clock
     * @return whether the future ended, normally or not, in time
     */
    static boolean await(CompletableFuture<?> future, long deadlineNanos) {
        return await(deadlineNanos, nanos -> {
            try {
                future.get(nanos, TimeUnit.NANOSECONDS);
                return true;
            }
            catch (ExecutionException ex) {
                return true;
            }
            catch (TimeoutException ex) {
                return false;
            }
        });
    }

    /**
     * Waits until a condition holds or the deadline passes.
     * @param deadlineNanos the deadline, on the {@link System#nanoTime()} clock
     * @param wait waits for up to the nanoseconds it is given, and tells whether the condition holds
     * @return what the last wait told
     */
    static boolean await(long deadlineNanos, TimedWait wait) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return wait.await(Math.max(0, deadlineNanos - System.nanoTime()));
                }
                catch (InterruptedException ex) {
                    // The flag is clear now: wait again for the time that is left.
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A wait bounded in time that an interrupt ends early.
     */
    @FunctionalInterface
    interface TimedWait {

        /**
         * Waits.
         * @param nanos the most to wait
         * @return whether what was awaited happened
         * @throws InterruptedException when interrupted
         */
        boolean await(long nanos) throws InterruptedException;

    }

}
