package dev.netstack.socket;

/**
 * What a {@link LocalSocket} or {@link LocalSocketConnection} sends: the reference's {@code LocalSendOptions}
 * (API 11), taken as {@link TCPSendOptions} is.
 *
 * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer}
 * @param encoding the charset of a {@code String}: UTF-8 (default, also for {@code null}), UTF-16BE, UTF-16LE,
 * UTF-16, US-ASCII or ISO-8859-1; any other is 401
 */
public record LocalSendOptions(Object data, String encoding) {

    /**
     * Sends {@code data}, a {@code String} as UTF-8.
     * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer}
     */
    public LocalSendOptions(Object data) {
        this(data, null);
    }

    @Override
    public String toString() {
        return "LocalSendOptions[data=" + TCPSendOptions.describe(this.data) + ", encoding=" + this.encoding + "]";
    }

}
