package dev.netstack.socket.bench.contender;

/**
 * What a contender's TCP server does with each connection it accepts.
 */
public enum ServerRole {

    /** Closes it as soon as it is accepted: the accept workload, where the accept path is all there is. */
    CLOSE,

    /** Sends back every byte it reads, as it arrives. */
    ECHO,

    /** Keeps it open, reading (and discarding) whatever arrives, until the peer closes it. */
    HOLD

}
