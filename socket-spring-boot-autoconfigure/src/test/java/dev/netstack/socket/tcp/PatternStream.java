package dev.netstack.socket.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.SocketMessageInfo;

/**
 * A test stream whose byte {@code i} is {@code i * 31 + 7}: a peer writes it, the receiving side checks each chunk
 * at the offset reached so far, so that a lost, repeated or reordered chunk shows without keeping what arrived.
 */
public final class PatternStream {

    private final AtomicLong bytes = new AtomicLong();

    private final AtomicLong outOfOrder = new AtomicLong();

    /**
     * Checks a chunk against the stream; called by one thread at a time.
     * @param message the chunk
     */
    public void add(SocketMessageInfo message) {
        long offset = this.bytes.get();
        byte[] chunk = message.bytes();
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] != at(offset + i)) {
                this.outOfOrder.incrementAndGet();
                break;
            }
        }
        this.bytes.addAndGet(chunk.length);
    }

    /** The bytes checked so far. */
    public long bytes() {
        return this.bytes.get();
    }

    /** The chunks that did not match the stream at their offset. */
    public long outOfOrder() {
        return this.outOfOrder.get();
    }

    static byte at(long offset) {
        return (byte) (offset * 31 + 7);
    }

    /**
     * Writes the first {@code total} bytes of the stream to a peer socket, blocking while its buffers are full.
     * @param peer the writing end
     * @param total how many bytes
     */
    public static void write(Socket peer, long total) {
        byte[] chunk = new byte[64 * 1024];
        try {
            OutputStream out = peer.getOutputStream();
            for (long offset = 0; offset < total; offset += chunk.length) {
                int size = (int) Math.min(chunk.length, total - offset);
                for (int i = 0; i < size; i++) {
                    chunk[i] = at(offset + i);
                }
                out.write(chunk, 0, size);
            }
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
