package dev.netstack.socket;

/**
 * What the frame decoders share: the maximum frame size, and the failed state that a frame over it leaves behind.
 */
abstract class BoundedFrameDecoder implements FrameDecoder {

    /**
     * An accumulation buffer up to this size is kept for the next split frame once emptied, so that a stream of
     * small frames does not allocate one per split; a larger one is released.
     */
    static final int RETAINED_CAPACITY = 256;

    /** The first size an accumulation buffer gets, unless the frame needs more (or the maximum allows less). */
    static final int INITIAL_CAPACITY = 64;

    final int maxLength;

    private BusinessError failure;

    BoundedFrameDecoder(int maxLength) {
        this.maxLength = maxLength;
    }

    /**
     * Throws the error that failed the stream, if one did.
     * @throws BusinessError the failure
     */
    final void checkNotFailed() {
        if (this.failure != null) {
            throw this.failure;
        }
    }

    /**
     * Fails the stream: the unfinished frame is released, and every later call throws the same error.
     * @param message what was wrong, naming the frame's size and the maximum
     * @return the error ({@value BusinessError#MESSAGE_TOO_LONG}), for the caller to throw
     */
    final BusinessError failed(String message) {
        release();
        this.failure = new BusinessError(BusinessError.MESSAGE_TOO_LONG, message);
        return this.failure;
    }

    /** Drops the bytes of the unfinished frame and the accumulation buffer. */
    abstract void release();

    /**
     * The next capacity of an accumulation buffer: at least what is needed, else double, within the bound.
     * @param current the capacity now (0 when there is none)
     * @param needed the bytes it must hold
     * @param bound the most it ever needs to hold
     * @return the new capacity
     */
    static int grow(int current, int needed, long bound) {
        return (int) Math.max(needed, Math.min(bound, Math.max(INITIAL_CAPACITY, 2L * current)));
    }

}
