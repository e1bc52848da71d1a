package dev.netstack.socket.nio;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;

/**
 * Sees what every socket of a factory does, without the application calling {@code on()}: the hook for
 * integrations such as Spring's application events and Micrometer's connect timer.
 *
 * <p>Methods run on the socket's event loop after the socket's own callbacks; they must not block. A method that
 * throws is logged and counted like a callback. An observer that hands messages to a slower thread must bound what
 * it holds: it may drop datagrams, but a stream's messages are chunks of one stream, so it holds the stream back
 * with {@link NioSocket#suspendReading()} instead (see {@link Protocol#isStream()}).
 */
public interface SocketObserver {

    /**
     * A socket emitted an event.
     * @param socket the socket
     * @param type the event type
     * @param payload the payload the callbacks received
     * @param <T> the payload type
     */
    default <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
    }

    /**
     * A socket's read batch ended: every 'message' event comes from a read batch, and this follows it on the same
     * loop, even when a callback of the batch threw or closed the socket. An observer that hands messages to another
     * thread may wake that thread here, once per batch, instead of once per message.
     * @param socket the socket that read
     */
    default void batchEnded(NioSocket socket) {
    }

    /**
     * A TCP connect attempt ended.
     * @param socket the socket
     * @param durationNanos how long it took
     * @param failure the failure, or {@code null} on success
     */
    default void connectCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
    }

    /**
     * A TLS handshake ended, on a client or on a connection that a TLS server accepted.
     * @param socket the socket
     * @param durationNanos how long it took, from its first record (the TCP connect not included)
     * @param failure the failure, or {@code null} on success
     */
    default void handshakeCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
    }

    /**
     * Tells whether this observer receives what sockets read (as Spring's application events do). A connection that
     * a server accepted reads only once something receives its messages: a 'message' callback, or such an observer.
     * @return {@code false} unless the observer consumes 'message' events
     */
    default boolean observesMessages() {
        return false;
    }

    /**
     * A multicast socket joined or left a group.
     * @param socket the socket, a {@link NioMulticastSocket}
     * @param group the group, with the socket's local port
     * @param joined {@code true} for a join, {@code false} for a leave
     */
    default void membershipChanged(NioSocket socket, NetAddress group, boolean joined) {
    }

}
