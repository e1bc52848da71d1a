package dev.netstack.socket.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The sends of one TCP connection that the kernel has not taken whole yet, in call order, with the count of their
 * bytes still to write.
 *
 * <p>Loop only, except {@link #queuedBytes()}, which monitoring reads from other threads. Writes gather the queued
 * buffers into one system call, capped at {@value #MAX_BUFFERS_PER_WRITE} buffers and {@value #MAX_BYTES_PER_WRITE}
 * bytes: the JDK copies a heap buffer whole into a temporary direct buffer before writing, so handing it 16 MiB
 * when the kernel takes 2 MiB would copy the rest again on every attempt.
 */
final class TcpOutboundBuffer {

    /** Buffers gathered into one write; the kernel's IOV_MAX is far above. */
    static final int MAX_BUFFERS_PER_WRITE = 64;

    /** Bytes offered to one write: about what a loopback or LAN socket buffer takes at once. */
    static final int MAX_BYTES_PER_WRITE = 1024 * 1024;

    /** Made on the first send: an idle connection holds no queue. */
    private ArrayDeque<PendingSend> sends;

    private final ProtocolStats stats;

    /** Bytes offered to the last write. */
    private long lastOffered;

    /** The bytes queued and not yet written. */
    private long queued;

    /** {@link #queued} as monitoring sees it: published once per operation of the loop, not per send. */
    private volatile long published;

    TcpOutboundBuffer(ProtocolStats stats) {
        this.stats = stats;
    }

    boolean isEmpty() {
        return this.sends == null || this.sends.isEmpty();
    }

    /**
     * Tells whether a send of the application is queued, not only records of a TLS layer. Walks the queue: for the
     * rare moments that ask (a peer's close_notify).
     * @return whether one is queued
     */
    boolean hasSends() {
        if (this.sends != null) {
            for (PendingSend send : this.sends) {
                if (!send.isRecords()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns the bytes accepted and not yet handed to the kernel.
     * @return the bytes still queued
     */
    long queuedBytes() {
        return this.published;
    }

    /**
     * Shows monitoring the bytes queued now. A send that went out whole within the operation moves no counter: the
     * shared totals are touched only for bytes that wait.
     */
    void publish() {
        long now = this.queued;
        long delta = now - this.published;
        if (delta != 0) {
            this.published = now;
            this.stats.pending(delta);
        }
    }

    /**
     * Queues a send behind the others.
     * @param send the send, with its position at the first byte to write
     */
    void add(PendingSend send) {
        if (this.sends == null) {
            this.sends = new ArrayDeque<>();
        }
        this.sends.add(send);
        adjust(send.data().remaining());
    }

    /**
     * Writes as much of the queue as one gathering write takes. Completed sends stay queued until
     * {@link #pollWritten()} takes them, so that the caller completes them when its own state is consistent.
     * @param channel the connected channel
     * @param gathered the loop's array of {@value #MAX_BUFFERS_PER_WRITE} slots, shared by its connections: it is
     *        used only within this call and left empty, so one per loop serves every write
     * @return the bytes the kernel took
     * @throws IOException when the write fails, e.g. on a reset
     */
    long write(GatheringByteChannel channel, ByteBuffer[] gathered) throws IOException {
        if (this.sends == null) {
            this.lastOffered = 0;
            return 0;
        }
        int count = 0;
        long offered = 0;
        ByteBuffer capped = null;
        int cappedLimit = 0;
        for (PendingSend send : this.sends) {
            ByteBuffer data = send.data();
            int remaining = data.remaining();
            if (remaining == 0) {
                continue;
            }
            if (offered + remaining > MAX_BYTES_PER_WRITE) {
                // Offer only the head of this buffer; its limit is restored right after the write.
                capped = data;
                cappedLimit = data.limit();
                data.limit(data.position() + (int) (MAX_BYTES_PER_WRITE - offered));
                gathered[count++] = data;
                offered = MAX_BYTES_PER_WRITE;
                break;
            }
            gathered[count++] = data;
            offered += remaining;
            if (count == MAX_BUFFERS_PER_WRITE || offered == MAX_BYTES_PER_WRITE) {
                break;
            }
        }
        this.lastOffered = offered;
        if (count == 0) {
            return 0;
        }
        long written;
        try {
            written = (count == 1) ? channel.write(gathered[0]) : channel.write(gathered, 0, count);
        }
        finally {
            if (capped != null) {
                capped.limit(cappedLimit);
            }
            Arrays.fill(gathered, 0, count, null);
        }
        adjust(-written);
        return written;
    }

    /**
     * Tells whether the last write left bytes it was offered: the kernel's buffer is full, and another attempt now
     * would only return 0.
     * @param written what the last write returned
     * @return whether to wait for OP_WRITE
     */
    boolean kernelFull(long written) {
        return written < this.lastOffered;
    }

    /**
     * Takes the oldest send when all of its bytes are written.
     * @return the send, or {@code null} when the oldest still has bytes to write or the queue is empty
     */
    PendingSend pollWritten() {
        PendingSend head = (this.sends != null) ? this.sends.peek() : null;
        if (head == null || head.data().hasRemaining()) {
            return null;
        }
        return this.sends.poll();
    }

    /**
     * Takes the oldest send, written or not, to fail it.
     * @return the send, or {@code null} when the queue is empty
     */
    PendingSend poll() {
        PendingSend head = (this.sends != null) ? this.sends.poll() : null;
        if (head != null) {
            adjust(-head.data().remaining());
        }
        return head;
    }

    private void adjust(long delta) {
        this.queued += delta;
    }

}
