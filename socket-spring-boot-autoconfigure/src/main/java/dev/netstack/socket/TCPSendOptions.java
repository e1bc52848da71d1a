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

    /**
     * Describes the options with the type and size of the data, never the data: options end up in logs.
     * @return e.g. {@code TCPSendOptions[data=String(5 chars), encoding=UTF-8]}
     */
    @Override
    public String toString() {
        return "TCPSendOptions[data=" + describe(this.data) + ", encoding=" + this.encoding + "]";
    }

    /** The type and size of a payload, for the options' descriptions. */
    static String describe(Object data) {
        if (data instanceof byte[] bytes) {
            return "byte[" + bytes.length + "]";
        }
        if (data instanceof String text) {
            return "String(" + text.length() + " chars)";
        }
        if (data instanceof java.nio.ByteBuffer buffer) {
            return "ByteBuffer(" + buffer.remaining() + " bytes remaining)";
        }
        return (data != null) ? data.getClass().getName() : "null";
    }

}
