package dev.netstack.socket.nio;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of the servers of one protocol across a factory: connections accepted, refused, and open now. The
 * accepting loops add to them; meters read them.
 */
public final class ServerStats {

    /** Why a server refused a connection. */
    public enum Reason {

        /** The server had {@code socket.server.max-connections} open. */
        LIMIT("limit"),

        /** The access policy denies the peer. */
        POLICY("policy");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        /**
         * Returns the value of the meters' {@code reason} tag.
         * @return {@code "limit"} or {@code "policy"}
         */
        public String tag() {
            return this.tag;
        }

    }

    private final LongAdder accepted = new LongAdder();

    private final LongAdder rejectedForLimit = new LongAdder();

    private final LongAdder rejectedForPolicy = new LongAdder();

    private final LongAdder open = new LongAdder();

    /**
     * Returns the connections handed to servers so far.
     * @return the total
     */
    public long accepted() {
        return this.accepted.sum();
    }

    /**
     * Returns the connections refused so far for a reason.
     * @param reason the reason
     * @return the total
     */
    public long rejected(Reason reason) {
        return ((reason == Reason.LIMIT) ? this.rejectedForLimit : this.rejectedForPolicy).sum();
    }

    /**
     * Returns the accepted connections not yet closed.
     * @return the count now
     */
    public long open() {
        return this.open.sum();
    }

    void countAccepted() {
        this.accepted.increment();
        this.open.increment();
    }

    void countClosed() {
        this.open.decrement();
    }

    void countRejected(Reason reason) {
        ((reason == Reason.LIMIT) ? this.rejectedForLimit : this.rejectedForPolicy).increment();
    }

}
