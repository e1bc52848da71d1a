package dev.netstack.socket.nio;

/**
 * How many datagrams one wake-up of a UDP socket reads. Reading until the kernel's queue is empty ends with a receive
 * that finds nothing: one system call per wake-up, which is nothing while datagrams stream in but doubles the system
 * calls of a socket that gets one datagram per wake-up, as a request and its reply do. After
 * {@value #QUIET_WAKEUPS} wake-ups in a row that found exactly one datagram, the socket reads one per wake-up and
 * leaves the empty queue to the selector: it is level-triggered, so a datagram still queued wakes the loop again at
 * once and none waits. Every {@value #PROBE_EVERY}th wake-up reads on as before, to notice when the rate rises.
 * Loop only.
 */
final class DatagramReadPacing {

    /** Datagrams read per wake-up while they stream in, before the loop serves other channels. */
    static final int BATCH = 16;

    /** Wake-ups that found one datagram, in a row, before the socket reads one per wake-up. */
    static final int QUIET_WAKEUPS = 4;

    /** While reading one per wake-up, every this many wake-ups read on until the queue is empty. */
    static final int PROBE_EVERY = 8;

    /** Wake-ups in a row whose reading found one datagram and then an empty queue, up to {@value #QUIET_WAKEUPS}. */
    private int quiet;

    private int sinceProbe;

    /**
     * Returns the most datagrams this wake-up reads.
     * @return {@value #BATCH}, or 1 while datagrams come one per wake-up
     */
    int limit() {
        if (this.quiet < QUIET_WAKEUPS || ++this.sinceProbe >= PROBE_EVERY) {
            this.sinceProbe = 0;
            return BATCH;
        }
        return 1;
    }

    /**
     * Learns from a wake-up's reading.
     * @param datagrams the datagrams it read
     * @param drained whether its last receive found the kernel's queue empty
     */
    void ended(int datagrams, boolean drained) {
        if (datagrams > 1) {
            this.quiet = 0;
        }
        else if (datagrams == 1 && drained) {
            this.quiet = Math.min(this.quiet + 1, QUIET_WAKEUPS);
        }
    }

}
