package dev.netstack.socket;

/**
 * What to send on a connection: the seed's {@code TCPSendOptions}.
 *
 * <p>{@code data} is a {@link String}, a {@code byte[]} or a {@link java.nio.ByteBuffer} (its remaining bytes; its
 * position is not moved). Arrays and buffers are not copied: leave them unchanged until the send completes.
 * {@code encoding} applies to strings: {@code UTF-8} (the default, also when {@code null}), {@code UTF-16BE},
 * {@code UTF-16LE}, {@code UTF-16}, {@code US-ASCII} or {@code ISO-8859-1}; any other fails the send with 401.
 *
 * @param data the payload
 * @param encoding the character encoding of a string payload, or {@code null} for UTF-8
 */
public record TCPSendOptions(Object data, String encoding) {

    /**
     * Sends {@code data}, with strings encoded as UTF-8.
     * @param data the payload
     */
    public TCPSendOptions(Object data) {
        this(data, null);
    }

}
