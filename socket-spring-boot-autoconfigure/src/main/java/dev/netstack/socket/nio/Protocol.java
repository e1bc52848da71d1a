package dev.netstack.socket.nio;

/**
 * The transport of a socket, as it appears in meter tags and events.
 */
public enum Protocol {

    /** A {@link dev.netstack.socket.UDPSocket}. */
    UDP("udp", false),

    /** A {@link dev.netstack.socket.TCPSocket}. */
    TCP("tcp", true),

    /** A {@link dev.netstack.socket.TLSSocket}: TLS over TCP. */
    TLS("tls", true);

    private final String tag;

    private final boolean stream;

    Protocol(String tag, boolean stream) {
        this.tag = tag;
        this.stream = stream;
    }

    /**
     * Returns the lower-case name used in tags and events.
     * @return {@code "udp"}, {@code "tcp"} or {@code "tls"}
     */
    public String tag() {
        return this.tag;
    }

    /**
     * Tells whether the transport is a byte stream: its 'message' events are chunks of one stream, so a consumer
     * that drops one corrupts the rest, and its flow control can hold the peer back instead
     * ({@link NioSocket#suspendReading()}).
     * @return {@code true} for TCP and TLS, {@code false} for UDP datagrams
     */
    public boolean isStream() {
        return this.stream;
    }

}
