package dev.netstack.socket;

import java.nio.ByteBuffer;

/**
 * No framing ({@link Framing#none()}): each chunk is one frame, as a socket without a framing delivers its reads.
 * It holds nothing between calls, so one instance serves every stream.
 */
final class ChunkFrameDecoder implements FrameDecoder {

    static final ChunkFrameDecoder INSTANCE = new ChunkFrameDecoder();

    private ChunkFrameDecoder() {
    }

    @Override
    public void decode(ByteBuffer chunk, Sink frames) {
        if (chunk.hasRemaining()) {
            byte[] frame = new byte[chunk.remaining()];
            chunk.get(frame);
            frames.accept(frame);
        }
    }

    @Override
    public ByteBuffer takeUnfinished() {
        return ByteBuffer.allocate(0);
    }

}
