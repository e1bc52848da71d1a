package dev.netstack.socket;

/**
 * A chunk of a local stream: the payload of {@link LocalSocket#MESSAGE 'message'}, the reference's
 * {@code LocalSocketMessageInfo} (API 11).
 *
 * <p>The bytes are a copy made for this event, sized to the chunk; every callback sees the same bytes.
 */
public final class LocalSocketMessageInfo extends ReceivedBytes {

    private final String address;

    /**
     * Creates a message. The array is taken as it is, not copied.
     * @param bytes the bytes of the message
     * @param address the path of the socket file the stream runs through
     */
    public LocalSocketMessageInfo(byte[] bytes, String address) {
        super(bytes);
        this.address = address;
    }

    /**
     * Returns the path of the socket file: the server's path, on either end of the connection.
     * @return the path
     */
    public String address() {
        return this.address;
    }

    @Override
    public String toString() {
        // Never the payload: it may be secret, and logs must not carry it.
        return "LocalSocketMessageInfo[size=" + size() + ", address=" + this.address + "]";
    }

}
