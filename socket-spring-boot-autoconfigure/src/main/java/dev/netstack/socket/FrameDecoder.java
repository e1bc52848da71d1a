package dev.netstack.socket;

import java.nio.ByteBuffer;

/**
 * Splits one byte stream into frames: what the engine calls with each read of a socket that has a {@link Framing}.
 * Made by {@link Framing#newDecoder()}; a decoder keeps the unfinished frame of one stream between calls, so it
 * belongs to that stream only, and is used by one thread at a time.
 *
 * <p>A frame whose bytes all lie in one chunk is copied once, straight out of the chunk; the bytes of a frame that
 * spans chunks wait in one accumulation buffer of the decoder, bounded by the framing's maximum and released once
 * the frame is complete (a small one is kept for the next).
 */
public interface FrameDecoder {

    /**
     * Decodes the remaining bytes of a chunk. Each whole frame goes to the sink once, in stream order, as a new array
     * that the sink may keep; the bytes of an unfinished frame are kept for the next call. The chunk is read during
     * the call only (it may be a buffer that the caller reuses), and is used up: its position ends at its limit,
     * unless the sink returned {@code false}, which ends the call with the position just after that frame.
     * @param chunk the next bytes of the stream
     * @param frames receives each frame
     * @throws BusinessError {@value BusinessError#MESSAGE_TOO_LONG} when a frame is over the framing's maximum (or a
     * length field gives a negative size), naming the size and the maximum; the frames before it are delivered first,
     * its bytes are released, and every later call throws the same error: a stream that lost its framing is unusable
     */
    void decode(ByteBuffer chunk, Sink frames);

    /**
     * Takes the bytes that the decoder holds of an unfinished frame, e.g. to hand them to the decoder of another
     * framing; the decoder then holds none.
     * @return the bytes, in stream order, positioned at the first; empty when the decoder is between frames
     */
    ByteBuffer takeUnfinished();

    /**
     * Receives the frames of {@link #decode}.
     */
    @FunctionalInterface
    interface Sink {

        /**
         * Takes one frame.
         * @param frame the frame's bytes, without its delimiter or length field; a new array, owned by the sink
         * @return {@code true} to go on decoding the chunk, {@code false} to stop after this frame
         */
        boolean accept(byte[] frame);

    }

}
