package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Byte searches of the frame decoders, eight bytes at a time: a line of 64 bytes takes eight steps, not 64.
 */
final class FrameBytes {

    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;

    private FrameBytes() {
    }

    /**
     * Finds the first index of a byte in a range of a buffer, by absolute index (the position does not move).
     * @param buffer the buffer, heap or direct, in either byte order
     * @param from the first index searched
     * @param to the index after the last searched
     * @param value the byte
     * @return its index, or {@code -1}
     */
    static int indexOf(ByteBuffer buffer, int from, int to, byte value) {
        int i = from;
        if (to - from >= Long.BYTES) {
            long pattern = (value & 0xFFL) * 0x0101010101010101L;
            boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
            for (; i <= to - Long.BYTES; i += Long.BYTES) {
                // A 0x80 bit in each byte of the word equal to the value, and none elsewhere: no carry crosses a
                // byte, since each byte's low seven bits plus 0x7F stay below 0x100.
                long input = buffer.getLong(i) ^ pattern;
                long found = ~(((input & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | input | LOW_SEVEN_BITS);
                if (found != 0) {
                    int bit = bigEndian ? Long.numberOfLeadingZeros(found) : Long.numberOfTrailingZeros(found);
                    return i + (bit >>> 3);
                }
            }
        }
        for (; i < to; i++) {
            if (buffer.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the first whole occurrence of a sequence in a range of a buffer, by absolute index.
     * @param buffer the buffer
     * @param from the first index searched
     * @param to the index after the last searched: an occurrence must end at or before it
     * @param sequence the bytes sought, at least one
     * @return the index of its first byte, or {@code -1}
     */
    static int indexOf(ByteBuffer buffer, int from, int to, byte[] sequence) {
        if (sequence.length == 1) {
            return indexOf(buffer, from, to, sequence[0]);
        }
        int lastStart = to - sequence.length;
        int i = from;
        while (i <= lastStart) {
            i = indexOf(buffer, i, lastStart + 1, sequence[0]);
            if (i < 0) {
                return -1;
            }
            if (matches(buffer, i, sequence)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean matches(ByteBuffer buffer, int at, byte[] sequence) {
        for (int k = 1; k < sequence.length; k++) {
            if (buffer.get(at + k) != sequence[k]) {
                return false;
            }
        }
        return true;
    }

}
