package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A chunk of a local stream: the payload of {@link LocalSocket#MESSAGE 'message'}, the reference's
 * {@code LocalSocketMessageInfo} (API 11).
 *
 * <p>The bytes are a copy made for this event, sized to the chunk; every callback sees the same bytes.
 */
public final class LocalSocketMessageInfo {

    private final byte[] bytes;

    private final String address;

    /**
     * Creates a message. The array is taken as it is, not copied.
     * @param bytes the bytes of the message
     * @param address the path of the socket file the stream runs through
     */
    public LocalSocketMessageInfo(byte[] bytes, String address) {
        this.bytes = bytes;
        this.address = address;
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
     * @return the size
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
     * Returns the path of the socket file: the server's path, on either end of the connection.
     * @return the path
     */
    public String address() {
        return this.address;
    }

    @Override
    public String toString() {
        // Never the payload: it may be secret, and logs must not carry it.
        return "LocalSocketMessageInfo[size=" + this.bytes.length + ", address=" + this.address + "]";
    }

}
