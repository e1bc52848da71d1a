package dev.netstack.socket.nio.tls;

import java.nio.ByteBuffer;

/**
 * The working buffers of {@link TlsEngine}s on one thread: a packet buffer that the engine wraps into and an
 * application buffer that it unwraps into. Their content lives only within one engine call (what outlives it is
 * copied out), so every engine of an event loop shares one pair instead of holding about 33 KB per connection.
 *
 * <p>Confined to one thread: every engine that uses it must be called on that thread only.
 */
public final class TlsScratch {

    private ByteBuffer packet;

    private ByteBuffer application;

    /**
     * Returns the packet buffer, cleared.
     * @param minimum the capacity the caller needs: the session's packet buffer size
     * @return a buffer of at least that capacity
     */
    ByteBuffer packet(int minimum) {
        if (this.packet == null || this.packet.capacity() < minimum) {
            this.packet = ByteBuffer.allocate(minimum);
        }
        return this.packet.clear();
    }

    /**
     * Returns the application buffer, cleared.
     * @param minimum the capacity the caller needs: the session's application buffer size
     * @return a buffer of at least that capacity
     */
    ByteBuffer application(int minimum) {
        if (this.application == null || this.application.capacity() < minimum) {
            this.application = ByteBuffer.allocate(minimum);
        }
        return this.application.clear();
    }

}
