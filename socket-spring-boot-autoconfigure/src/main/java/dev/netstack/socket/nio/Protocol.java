package dev.netstack.socket.nio;

/**
 * The transport of a socket, as it appears in meter tags and events.
 */
public enum Protocol {

    /** A {@link dev.netstack.socket.UDPSocket}. */
    UDP("udp"),

    /** A {@link dev.netstack.socket.TCPSocket}. */
    TCP("tcp");

    private final String tag;

    Protocol(String tag) {
        this.tag = tag;
    }

    /**
     * Returns the lower-case name used in tags and events.
     * @return {@code "udp"} or {@code "tcp"}
     */
    public String tag() {
        return this.tag;
    }

}
