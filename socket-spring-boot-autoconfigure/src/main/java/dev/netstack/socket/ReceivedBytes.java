package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a received message, as every kind's 'message' payload gives them: a copy made for the event, sized to
 * the message, that every callback sees and that stays valid after the callbacks return.
 */
abstract class ReceivedBytes {

    private final byte[] bytes;

    /**
     * Takes the bytes as they are, not copied.
     * @param bytes the bytes of the message
     */
    ReceivedBytes(byte[] bytes) {
        this.bytes = bytes;
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

}
