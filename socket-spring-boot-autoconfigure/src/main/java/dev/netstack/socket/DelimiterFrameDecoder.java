package dev.netstack.socket;

import java.nio.ByteBuffer;

/**
 * Frames that end with a delimiter, which is not part of the frame: {@link Framing#delimiter} and, with a line feed
 * whose preceding carriage return is dropped too, {@link Framing#lines}.
 *
 * <p>A frame found whole in the chunk is copied straight out of it. The bytes after the last delimiter of a chunk
 * wait in {@link #pending}; they never hold a whole delimiter, so a later chunk is searched from its start, after a
 * check for a delimiter that began in them.
 */
final class DelimiterFrameDecoder extends BoundedFrameDecoder {

    private static final byte CR = '\r';

    private final byte[] delimiter;

    /** Lines: the delimiter is LF, and a CR just before it belongs to the line ending. */
    private final boolean lines;

    /** The bytes of the unfinished frame, or {@code null}. */
    private byte[] pending;

    private int pendingLength;

    DelimiterFrameDecoder(byte[] delimiter, boolean lines, int maxLength) {
        super(maxLength);
        this.delimiter = delimiter;
        this.lines = lines;
    }

    @Override
    public void decode(ByteBuffer chunk, Sink frames) {
        checkNotFailed();
        if (!chunk.hasRemaining()) {
            return;
        }
        if (this.pendingLength > 0 && !finishPending(chunk, frames)) {
            return;
        }
        int position = chunk.position();
        int limit = chunk.limit();
        while (position < limit) {
            int end = FrameBytes.indexOf(chunk, position, limit, this.delimiter);
            if (end < 0) {
                keep(chunk, position, limit);
                return;
            }
            int length = end - position;
            if (this.lines && length > 0 && chunk.get(end - 1) == CR) {
                length--;
            }
            if (length > this.maxLength) {
                throw tooLong(Integer.toString(length));
            }
            byte[] frame = new byte[length];
            chunk.get(position, frame, 0, length);
            position = end + this.delimiter.length;
            chunk.position(position);
            if (!frames.accept(frame)) {
                return;
            }
        }
    }

    /**
     * Ends the pending frame with the first delimiter of the chunk, or keeps the whole chunk when it has none.
     * @return whether to go on with the rest of the chunk
     */
    private boolean finishPending(ByteBuffer chunk, Sink frames) {
        int position = chunk.position();
        int limit = chunk.limit();
        int held = this.pendingLength;
        int length = -1;
        int next = 0;
        // A delimiter that starts in the pending bytes and ends in the chunk (never for lines: LF is one byte).
        for (int start = Math.max(0, held - this.delimiter.length + 1); start < held; start++) {
            if (straddles(start, chunk, position, limit)) {
                length = start;
                next = position + start + this.delimiter.length - held;
                break;
            }
        }
        if (length < 0) {
            int end = FrameBytes.indexOf(chunk, position, limit, this.delimiter);
            if (end < 0) {
                keep(chunk, position, limit);
                return false;
            }
            length = held + end - position;
            next = end + this.delimiter.length;
        }
        if (this.lines && length > 0 && byteAt(length - 1, chunk, position) == CR) {
            length--;
        }
        if (length > this.maxLength) {
            throw tooLong(Integer.toString(length));
        }
        byte[] frame = new byte[length];
        System.arraycopy(this.pending, 0, frame, 0, Math.min(held, length));
        if (length > held) {
            chunk.get(position, frame, held, length - held);
        }
        chunk.position(next);
        clearPending();
        return frames.accept(frame);
    }

    /** Whether the delimiter starts at {@code start} of the pending bytes followed by the chunk's. */
    private boolean straddles(int start, ByteBuffer chunk, int position, int limit) {
        int held = this.pendingLength;
        for (int k = 0; k < this.delimiter.length; k++) {
            int at = start + k;
            if (at >= held && position + at - held >= limit) {
                // The chunk ends first: undecided, and checked again with the next chunk.
                return false;
            }
            if (byteAt(at, chunk, position) != this.delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    /** The byte at an index of the pending bytes followed by the chunk's. */
    private byte byteAt(int index, ByteBuffer chunk, int position) {
        return (index < this.pendingLength) ? this.pending[index] : chunk.get(position + index - this.pendingLength);
    }

    /**
     * Adds the rest of a chunk, which holds no whole delimiter, to the pending bytes, failing the stream as soon as
     * they are longer than any frame under the maximum with a delimiter begun.
     */
    private void keep(ByteBuffer chunk, int from, int to) {
        int held = this.pendingLength;
        long total = (long) held + (to - from);
        byte last = chunk.get(to - 1);
        // For lines, only a trailing CR may belong to the ending; otherwise up to all but one delimiter byte may.
        long ending = this.lines ? ((last == CR) ? 1 : 0) : this.delimiter.length - 1;
        if (total - ending > this.maxLength) {
            throw tooLong("at least " + (total - ending));
        }
        int needed = (int) total;
        if (this.pending == null || this.pending.length < needed) {
            byte[] grown = new byte[grow((this.pending != null) ? this.pending.length : 0, needed,
                    (long) this.maxLength + this.delimiter.length)];
            if (held > 0) {
                System.arraycopy(this.pending, 0, grown, 0, held);
            }
            this.pending = grown;
        }
        chunk.get(from, this.pending, held, to - from);
        this.pendingLength = needed;
        chunk.position(to);
    }

    private BusinessError tooLong(String size) {
        return failed("frame of " + size + " bytes is over the maximum of " + this.maxLength + " bytes");
    }

    private void clearPending() {
        this.pendingLength = 0;
        if (this.pending.length > RETAINED_CAPACITY) {
            this.pending = null;
        }
    }

    @Override
    public ByteBuffer takeUnfinished() {
        ByteBuffer unfinished = (this.pendingLength > 0) ? ByteBuffer.wrap(this.pending, 0, this.pendingLength)
                : ByteBuffer.allocate(0);
        this.pending = null;
        this.pendingLength = 0;
        return unfinished;
    }

    @Override
    void release() {
        this.pending = null;
        this.pendingLength = 0;
    }

}
