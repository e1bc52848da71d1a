package dev.netstack.socket.nio;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.FrameDecoder;
import dev.netstack.socket.Framing;

/**
 * Cuts the reads of one stream socket into message payloads by its {@link Framing}: made by the socket's first
 * {@code setFraming}, and then given every read. Loop only.
 *
 * <p>A framing may change between any two frames, also from a message callback in the middle of a read: the rest
 * of that read, and the unfinished frame of the old framing, go to the new one.
 */
final class StreamFraming implements FrameDecoder.Sink {

    private final FrameDecoder.Sink messages;

    private final Consumer<BusinessError> failed;

    private FrameDecoder decoder = Framing.none().newDecoder();

    /** The decoder of the decode in progress: a frame that finds another in {@link #decoder} ends its run. */
    private FrameDecoder decoding;

    /** Set when the socket takes no more messages (a callback closed it). */
    private boolean stopped;

    /**
     * @param messages receives each frame, and returns {@code false} once the socket takes no more
     * @param failed receives the error of a frame over its maximum; the socket then resets the connection
     */
    StreamFraming(FrameDecoder.Sink messages, Consumer<BusinessError> failed) {
        this.messages = messages;
        this.failed = failed;
    }

    /**
     * Changes the framing; the old one's unfinished frame is decoded by the new one at once.
     * @param framing the new framing
     * @return whether that delivered messages, outside a read
     */
    boolean set(Framing framing) {
        FrameDecoder previous = this.decoder;
        this.decoder = framing.newDecoder();
        // Empty when called from a message callback: a decoder holds nothing while it hands out a frame.
        ByteBuffer unfinished = previous.takeUnfinished();
        if (!unfinished.hasRemaining()) {
            return false;
        }
        decode(unfinished);
        return true;
    }

    /**
     * Delivers the frames of one read, and keeps the bytes of an unfinished one.
     * @param chunk the read, valid during the call only
     */
    void decode(ByteBuffer chunk) {
        this.stopped = false;
        try {
            do {
                this.decoding = this.decoder;
                this.decoding.decode(chunk, this);
            } while (!this.stopped && chunk.hasRemaining() && this.decoder != this.decoding);
        }
        catch (BusinessError ex) {
            this.failed.accept(ex);
        }
        finally {
            this.decoding = null;
        }
    }

    /**
     * Takes the bytes of the unfinished frame, which nobody received yet.
     * @return the bytes, possibly empty
     */
    ByteBuffer takeUnfinished() {
        return this.decoder.takeUnfinished();
    }

    @Override
    public boolean accept(byte[] frame) {
        if (!this.messages.accept(frame)) {
            this.stopped = true;
            return false;
        }
        // A callback that set another framing: the rest of the chunk is the new decoder's.
        return this.decoder == this.decoding;
    }

}
