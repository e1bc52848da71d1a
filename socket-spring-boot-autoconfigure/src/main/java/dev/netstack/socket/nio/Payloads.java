package dev.netstack.socket.nio;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;

/**
 * Turns the {@code data} of send options into bytes.
 */
final class Payloads {

    /** The seed's encodings; {@code US-AECII} is the seed's own spelling of US-ASCII, kept for ported code. */
    private static final Map<String, Charset> ENCODINGS = Map.of("UTF-8", StandardCharsets.UTF_8, "UTF-16BE",
            StandardCharsets.UTF_16BE, "UTF-16LE", StandardCharsets.UTF_16LE, "UTF-16", StandardCharsets.UTF_16,
            "US-ASCII", StandardCharsets.US_ASCII, "US-AECII", StandardCharsets.US_ASCII, "ISO-8859-1",
            StandardCharsets.ISO_8859_1);

    private Payloads() {
    }

    /**
     * Looks up an encoding by the seed's name, ignoring case.
     * @param encoding the name, or {@code null} for UTF-8
     * @return the character set
     * @throws BusinessError 401 for any other name
     */
    static Charset charset(String encoding) {
        if (encoding == null) {
            return StandardCharsets.UTF_8;
        }
        Charset charset = ENCODINGS.get(encoding.toUpperCase(Locale.ROOT));
        if (charset == null) {
            throw Errors.parameter("encoding '" + encoding
                    + "' is not one of UTF-8, UTF-16BE, UTF-16LE, UTF-16, US-ASCII, ISO-8859-1");
        }
        return charset;
    }

    /**
     * Returns the bytes to send, without copying arrays or buffers.
     * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer}
     * @param charset the encoding of a string
     * @return a buffer of its own position and limit over the bytes
     * @throws BusinessError 401 for {@code null} or another type
     */
    static ByteBuffer toBuffer(Object data, Charset charset) {
        // No framing encodes nothing: the API's one conversion of send data, with its messages.
        return Framing.none().encode(data, charset);
    }

}
