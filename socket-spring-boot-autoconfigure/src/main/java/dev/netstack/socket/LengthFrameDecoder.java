package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Frames whose size is known before their bytes: after a length field ({@link Framing#lengthField}), or always the
 * same ({@link Framing#fixed}, a length field of no bytes).
 *
 * <p>A frame found whole in the chunk is copied straight out of it. A frame that spans chunks is gathered in an array
 * that becomes the frame itself once full: it is made at the frame's size when that is small, else grown by doubling
 * up to it, so that a peer must send the bytes it announces before they take memory.
 */
final class LengthFrameDecoder extends BoundedFrameDecoder {

    /** Frames up to this size get their array at once when they span chunks. */
    private static final int EXACT_UP_TO = 4096;

    /** Bytes of the length field: 0 (fixed size), 1, 2 or 4. */
    private final int fieldBytes;

    private final ByteOrder order;

    /** What to add to the field's value to get the frame's size: the adjustment, less the field when it counts itself. */
    private final long correction;

    /** The size of every frame, when {@link #fieldBytes} is 0. */
    private final int fixedSize;

    /** Bytes of a length field split between chunks, in stream order, the first in the highest byte used. */
    private int fieldSoFar;

    private int fieldBytesSoFar;

    /** The unfinished frame's size, or -1 between frames. */
    private int frameLength = -1;

    /** The unfinished frame's bytes so far; {@code null} until its first byte. */
    private byte[] frame;

    private int filled;

    private LengthFrameDecoder(int fieldBytes, ByteOrder order, long correction, int fixedSize, int maxLength) {
        super(maxLength);
        this.fieldBytes = fieldBytes;
        this.order = order;
        this.correction = correction;
        this.fixedSize = fixedSize;
    }

    static LengthFrameDecoder lengthField(int fieldBytes, ByteOrder order, boolean includesField, int adjustment,
            int maxLength) {
        return new LengthFrameDecoder(fieldBytes, order, (long) adjustment - (includesField ? fieldBytes : 0), 0,
                maxLength);
    }

    static LengthFrameDecoder fixed(int size) {
        return new LengthFrameDecoder(0, ByteOrder.BIG_ENDIAN, 0, size, size);
    }

    @Override
    public void decode(ByteBuffer chunk, Sink frames) {
        checkNotFailed();
        if (!chunk.hasRemaining()) {
            return;
        }
        if ((this.fieldBytesSoFar > 0 || this.frameLength >= 0) && !finishPending(chunk, frames)) {
            return;
        }
        int position = chunk.position();
        int limit = chunk.limit();
        while (position < limit) {
            if (limit - position < this.fieldBytes) {
                keepField(chunk, position, limit);
                return;
            }
            int length = frameLength(readField(chunk, position));
            int start = position + this.fieldBytes;
            if (limit - start < length) {
                startFrame(length, chunk, start, limit);
                return;
            }
            byte[] whole = new byte[length];
            chunk.get(start, whole, 0, length);
            position = start + length;
            chunk.position(position);
            if (!frames.accept(whole)) {
                return;
            }
        }
    }

    /**
     * Completes the length field and the frame begun in earlier chunks, as far as the chunk goes.
     * @return whether to go on with the rest of the chunk
     */
    private boolean finishPending(ByteBuffer chunk, Sink frames) {
        int position = chunk.position();
        int limit = chunk.limit();
        if (this.frameLength < 0) {
            while (this.fieldBytesSoFar < this.fieldBytes && position < limit) {
                this.fieldSoFar = (this.fieldSoFar << 8) | (chunk.get(position++) & 0xFF);
                this.fieldBytesSoFar++;
            }
            chunk.position(position);
            if (this.fieldBytesSoFar < this.fieldBytes) {
                return false;
            }
            long field = this.fieldSoFar & 0xFFFFFFFFL;
            if (this.order == ByteOrder.LITTLE_ENDIAN) {
                field = Long.reverseBytes(field) >>> (Long.SIZE - Byte.SIZE * this.fieldBytes);
            }
            this.fieldSoFar = 0;
            this.fieldBytesSoFar = 0;
            this.frameLength = frameLength(field);
            this.filled = 0;
        }
        int take = Math.min(limit - position, this.frameLength - this.filled);
        if (this.frame == null || this.frame.length < this.filled + take) {
            growFrame(this.filled + take);
        }
        chunk.get(position, this.frame, this.filled, take);
        this.filled += take;
        chunk.position(position + take);
        if (this.filled < this.frameLength) {
            return false;
        }
        byte[] whole = this.frame;
        clearPending();
        return frames.accept(whole);
    }

    /** Reads a whole length field at an index of the chunk, unsigned. */
    private long readField(ByteBuffer chunk, int at) {
        boolean little = this.order == ByteOrder.LITTLE_ENDIAN;
        switch (this.fieldBytes) {
            case 0:
                return 0;
            case 1:
                return chunk.get(at) & 0xFFL;
            case 2: {
                int high = chunk.get(at + (little ? 1 : 0)) & 0xFF;
                int low = chunk.get(at + (little ? 0 : 1)) & 0xFF;
                return (high << 8) | low;
            }
            default: {
                long value = 0;
                for (int k = 0; k < 4; k++) {
                    value = (value << 8) | (chunk.get(at + (little ? 3 - k : k)) & 0xFFL);
                }
                return value;
            }
        }
    }

    /** The size of the frame that a length field announces, failing the stream when it is out of range. */
    private int frameLength(long field) {
        if (this.fieldBytes == 0) {
            return this.fixedSize;
        }
        long length = field + this.correction;
        if (length < 0) {
            throw failed("length field " + field + " gives a frame of " + length + " bytes, below 0 (the maximum is "
                    + this.maxLength + " bytes)");
        }
        if (length > this.maxLength) {
            throw failed("frame of " + length + " bytes (length field " + field + ") is over the maximum of "
                    + this.maxLength + " bytes");
        }
        return (int) length;
    }

    private void keepField(ByteBuffer chunk, int from, int to) {
        for (int i = from; i < to; i++) {
            this.fieldSoFar = (this.fieldSoFar << 8) | (chunk.get(i) & 0xFF);
            this.fieldBytesSoFar++;
        }
        chunk.position(to);
    }

    private void startFrame(int length, ByteBuffer chunk, int from, int to) {
        this.frameLength = length;
        this.filled = to - from;
        growFrame(this.filled);
        chunk.get(from, this.frame, 0, this.filled);
        chunk.position(to);
    }

    /** Makes room for {@code needed} bytes: the frame's own size when small, else double, up to the frame's size. */
    private void growFrame(int needed) {
        int capacity = (this.frameLength <= EXACT_UP_TO) ? this.frameLength
                : grow((this.frame != null) ? this.frame.length : 0, needed, this.frameLength);
        byte[] grown = new byte[capacity];
        if (this.frame != null) {
            System.arraycopy(this.frame, 0, grown, 0, this.filled);
        }
        this.frame = grown;
    }

    private void clearPending() {
        this.frame = null;
        this.frameLength = -1;
        this.filled = 0;
    }

    @Override
    public ByteBuffer takeUnfinished() {
        int length = this.fieldBytesSoFar + ((this.frameLength >= 0) ? this.fieldBytes + this.filled : 0);
        ByteBuffer unfinished = ByteBuffer.allocate(length);
        if (this.frameLength >= 0) {
            // The field was read whole: write it back as it came.
            long field = this.frameLength - this.correction;
            unfinished.order(this.order);
            switch (this.fieldBytes) {
                case 1 -> unfinished.put((byte) field);
                case 2 -> unfinished.putShort((short) field);
                case 4 -> unfinished.putInt((int) field);
                default -> {
                    // A fixed size has no field.
                }
            }
            unfinished.put(this.frame, 0, this.filled);
        }
        for (int k = this.fieldBytesSoFar - 1; k >= 0; k--) {
            unfinished.put((byte) (this.fieldSoFar >>> (8 * k)));
        }
        release();
        return unfinished.flip().order(ByteOrder.BIG_ENDIAN);
    }

    @Override
    void release() {
        clearPending();
        this.fieldSoFar = 0;
        this.fieldBytesSoFar = 0;
    }

}
