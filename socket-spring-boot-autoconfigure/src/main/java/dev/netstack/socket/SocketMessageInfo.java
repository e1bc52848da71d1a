package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A received message and where it came from: the payload of the {@link SocketEventType#MESSAGE 'message'} event
 * (the seed's {@code {message: ArrayBuffer, remoteInfo: SocketRemoteInfo}}).
 *
 * <p>The bytes are a copy made for this event, sized to the message; every callback sees the same bytes.
 */
public final class SocketMessageInfo {

    private final byte[] bytes;

    private final SocketRemoteInfo remoteInfo;

    /**
     * Creates a message. The array is taken as it is, not copied.
     * @param bytes the bytes of the message
     * @param remoteInfo the sender
     */
    public SocketMessageInfo(byte[] bytes, SocketRemoteInfo remoteInfo) {
        this.bytes = bytes;
        this.remoteInfo = remoteInfo;
    }

    /**
     * Returns the message as a read-only buffer, positioned at its first byte.
     * @return a new read-only view of the bytes
     */
    public ByteBuffer message() {
        return ByteBuffer.wrap(this.bytes).asReadOnlyBuffer();
    }

    /**
     * Returns a copy of the bytes of the message.
     * @return a new array
     */
    public byte[] bytes() {
        return this.bytes.clone();
    }

    /**
     * Returns the number of bytes in the message.
     * @return the size, the same as {@code remoteInfo().size()}
     */
    public int size() {
        return this.bytes.length;
    }

    /**
     * Decodes the message as UTF-8.
     * @return the text
     */
    public String text() {
        return text(StandardCharsets.UTF_8);
    }

    /**
     * Decodes the message.
     * @param charset the character set of the bytes
     * @return the text
     */
    public String text(Charset charset) {
        return new String(this.bytes, charset);
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
        return "SocketMessageInfo[size=" + this.bytes.length + ", remoteInfo=" + this.remoteInfo + "]";
    }

}
