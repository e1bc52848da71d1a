package dev.netstack.socket;

/**
 * A received message and where it came from: the payload of the {@link SocketEventType#MESSAGE 'message'} event
 * (the seed's {@code {message: ArrayBuffer, remoteInfo: SocketRemoteInfo}}).
 *
 * <p>The bytes are a copy made for this event, sized to the message; every callback sees the same bytes.
 */
public final class SocketMessageInfo extends ReceivedBytes {

    private final SocketRemoteInfo remoteInfo;

    /**
     * Creates a message. The array is taken as it is, not copied.
     * @param bytes the bytes of the message
     * @param remoteInfo the sender
     */
    public SocketMessageInfo(byte[] bytes, SocketRemoteInfo remoteInfo) {
        super(bytes);
        this.remoteInfo = remoteInfo;
    }

    /**
     * Returns where the message came from.
     * @return the sender's address, family, port and the size of the message
     */
    public SocketRemoteInfo remoteInfo() {
        return this.remoteInfo;
    }

    @Override
    public String toString() {
        // Never the payload: it may be secret, and logs must not carry it.
        return "SocketMessageInfo[size=" + size() + ", remoteInfo=" + this.remoteInfo + "]";
    }

}
