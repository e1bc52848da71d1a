package dev.netstack.socket.sample;

import java.time.Duration;

/**
 * Delays between reconnect attempts: the initial delay, then twice the previous one, up to the maximum. A peer that
 * is down for long is asked every maximum delay, not flooded; one that comes back is found quickly after a reset.
 * Not thread-safe: used by the client's own thread.
 */
final class Backoff {

    private final Duration initial;

    private final Duration max;

    private Duration next;

    /**
     * Creates a back-off.
     * @param initial the first delay, positive
     * @param max the longest delay, at least {@code initial}
     */
    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial delay " + initial + " must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay " + max + " must be at least the initial delay " + initial);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /**
     * Returns the delay before the next attempt, and doubles the one after it.
     * @return the delay
     */
    Duration next() {
        Duration delay = this.next;
        Duration doubled = delay.multipliedBy(2);
        this.next = (doubled.compareTo(this.max) > 0) ? this.max : doubled;
        return delay;
    }

    /**
     * Starts again from the initial delay, after a connection was established.
     */
    void reset() {
        this.next = this.initial;
    }

}
