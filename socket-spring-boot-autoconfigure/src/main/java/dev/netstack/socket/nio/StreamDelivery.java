package dev.netstack.socket.nio;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketRemoteInfo;

/**
 * The read side of one stream socket: reads from its channel, through its {@link TlsLayer} when it has one, and the
 * bytes of a read (or the plaintext of a TLS record) as 'message' events, one per chunk or, once {@code setFraming}
 * was called, one per frame. Loop only.
 */
final class StreamDelivery {

    private final NioStreamSocket socket;

    /** Cuts chunks into frames once setFraming was called; {@code null} before: each chunk is one message. */
    private StreamFraming frames;

    /** The remote info of the last message, reused while the message size repeats. */
    private SocketRemoteInfo lastRemoteInfo;

    StreamDelivery(NioStreamSocket socket) {
        this.socket = socket;
    }

    /**
     * Reads up to {@value NioStreamSocket#READS_PER_WAKEUP} chunks into the loop's buffer and delivers each, through
     * the socket's TLS layer when it has one. Stops early when a callback closed the socket, suspended reading or
     * took its consumer away, and when a short read drained the kernel's buffer.
     */
    void read() {
        NioStreamSocket owner = this.socket;
        for (int i = 0; i < NioStreamSocket.READS_PER_WAKEUP; i++) {
            ByteBuffer buffer = owner.loop.readBuffer();
            int size;
            try {
                size = owner.channel.read(buffer);
            }
            catch (IOException | RuntimeException ex) {
                BusinessError error = owner
                    .systemError(Errors.io("receive from " + Addresses.describe(owner.remoteAddress()), ex));
                if (owner.tls == null || !owner.tls.transportEnded(error)) {
                    owner.connectionFailed(error, false);
                }
                return;
            }
            if (size < 0) {
                if (owner.tls == null || !owner.tls.transportEnded(null)) {
                    owner.peerClosed();
                }
                return;
            }
            if (size == 0) {
                return;
            }
            buffer.flip();
            owner.countReceived(size);
            TlsLayer layer = owner.tls;
            if (layer != null) {
                layer.receive(buffer);
            }
            else {
                deliver(buffer);
            }
            if (!owner.takesMessages() || owner.isReadingSuspended() || !owner.wantsToRead()) {
                // A callback closed the socket, suspended reading or took its consumer away: no message after that.
                return;
            }
            if (size < buffer.capacity()) {
                // A short read drained the kernel's buffer: another read now would return 0.
                return;
            }
        }
    }

    /**
     * Delivers one chunk of the stream.
     * @param chunk the bytes, in read mode, valid during the call only; consumed entirely
     */
    void deliver(ByteBuffer chunk) {
        if (this.frames != null) {
            // The whole chunk is decoded even when a callback suspends reading: its bytes are read already.
            this.frames.decode(chunk);
        }
        else {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            messageReceived(bytes);
        }
    }

    /**
     * Emits one 'message'.
     * @return whether the socket takes more: not once a callback has closed it
     */
    private boolean messageReceived(byte[] bytes) {
        this.socket.emitMessage(bytes);
        return this.socket.takesMessages();
    }

    /**
     * Sets the framing, from any thread: at once on the loop, else queued behind the calls made before.
     * @param framing the framing
     */
    void setFraming(Framing framing) {
        if (framing == null) {
            throw Errors.parameter("framing must not be null: Framing.none() gives one message per read");
        }
        EventLoop loop = this.socket.loop;
        if (loop.inEventLoop()) {
            // At once, not queued: from a 'connect' or 'message' callback it must apply to the very next byte.
            framing(framing);
        }
        else {
            // Queued behind the calls made before, so that a framing set before connect() sees the first byte. A
            // stopped loop has closed the socket: nothing is left to frame.
            loop.tryExecute(() -> framing(framing));
        }
    }

    /**
     * Sets the framing, on the loop; the old framing's unfinished frame goes to the new one at once.
     * @param framing the framing
     */
    void framing(Framing framing) {
        if (this.socket.isClosed()) {
            return;
        }
        if (this.frames == null) {
            this.frames = new StreamFraming(this::messageReceived, error -> this.socket.connectionFailed(error, true));
        }
        if (this.frames.set(framing)) {
            // Messages from the old framing's unfinished frame, outside any read batch.
            this.socket.factory.dispatcher().batchEnded(this.socket);
        }
    }

    /**
     * Takes the bytes read and not yet delivered: the unfinished frame, for a socket that hands its stream on.
     * @return the bytes, possibly empty
     */
    ByteBuffer takeUnfinished() {
        return (this.frames != null) ? this.frames.takeUnfinished() : ByteBuffer.allocate(0);
    }

    /** Releases the bytes of an unfinished frame. */
    void release() {
        this.frames = null;
    }

    /**
     * Returns the remote info of a 'message' of a stream whose peer has an IP address.
     * @param size the message's size
     * @return the info, shared with the last message of the same size
     */
    SocketRemoteInfo remoteInfo(int size) {
        SocketRemoteInfo last = this.lastRemoteInfo;
        if (last != null && last.size() == size) {
            // Immutable and the peer never changes: full reads of the same size share one instance.
            return last;
        }
        NetAddress peer = this.socket.remoteAddress();
        SocketRemoteInfo info = new SocketRemoteInfo(peer.address(), Addresses.familyName(peer.family()), peer.port(),
                size);
        this.lastRemoteInfo = info;
        return info;
    }

}
