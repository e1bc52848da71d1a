package dev.netstack.socket.sample;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into UTF-8 lines. TCP delivers chunks, not lines: a line may arrive in pieces, and one chunk
 * may hold several lines, so the bytes after the last newline wait for the next chunk.
 *
 * <p>A line ends at {@code \n}; a {@code \r} before it is dropped, so that {@code nc -C} and telnet work too. A line
 * longer than the limit is cut at the limit, so that a peer that never sends a newline cannot grow the buffer
 * without end. Not thread-safe: one decoder per connection, used by one thread at a time.
 */
final class LineDecoder {

    private final int maxLineBytes;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /**
     * Creates a decoder.
     * @param maxLineBytes the longest line, in bytes, before it is cut
     */
    LineDecoder(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes " + maxLineBytes + " must be at least 1");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Takes the next bytes of the stream.
     * @param chunk the bytes, read from its position to its limit; the buffer is consumed
     * @return the lines that are now complete, without their line ends; often none
     */
    List<String> decode(ByteBuffer chunk) {
        List<String> lines = new ArrayList<>();
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                lines.add(take());
            }
            else {
                this.pending.write(b);
                if (this.pending.size() == this.maxLineBytes) {
                    lines.add(take());
                }
            }
        }
        return lines;
    }

    private String take() {
        byte[] bytes = this.pending.toByteArray();
        this.pending.reset();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

}
