package dev.netstack.socket.event;

import java.util.List;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.LocalSocketMessageInfo;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;

/**
 * A socket event waiting for the dispatch thread: what its {@link SocketEvent} needs, and not the socket, which the
 * {@link ObservedSocket} holds weakly. The event is built when it is published.
 *
 * @param socket the socket it belongs to
 * @param type the event type
 * @param local the socket's local address when it happened
 * @param remote the peer's address when it happened
 * @param payload the message or the error, {@code null} for the other types
 */
record QueuedEvent(ObservedSocket socket, SocketEventType<?> type, NetAddress local, NetAddress remote,
        Object payload) {

    /**
     * Returns the payload bytes that the event holds.
     * @return the message's size, 0 for the other types
     */
    long payloadBytes() {
        if (this.payload instanceof LocalSocketMessageInfo local) {
            return local.size();
        }
        return (this.payload instanceof SocketMessageInfo message) ? message.size() : 0;
    }

    /**
     * Builds the application event, on the dispatch thread.
     * @return the event
     */
    SocketEvent toEvent() {
        if (this.payload instanceof LocalSocketMessageInfo message) {
            return new SocketMessageEvent(this.socket, this.local, this.remote, message);
        }
        if (this.type == SocketEventType.MESSAGE) {
            return new SocketMessageEvent(this.socket, this.local, this.remote, (SocketMessageInfo) this.payload);
        }
        if (this.type == SocketEventType.ERROR) {
            return new SocketErrorEvent(this.socket, this.local, this.remote, (BusinessError) this.payload);
        }
        if (this.payload instanceof Membership change) {
            return new SocketMembershipEvent(this.socket, this.local, change.group(), change.joined(), change.groups());
        }
        if (this.type == SocketEventType.LISTENING) {
            return new SocketListeningEvent(this.socket, this.local);
        }
        if (this.type == SocketEventType.CONNECT) {
            return new SocketConnectEvent(this.socket, this.local, this.remote);
        }
        return new SocketCloseEvent(this.socket, this.local, this.remote);
    }

    /**
     * A multicast socket joined or left a group: the payload of a queued {@link SocketMembershipEvent}.
     * @param group the group, with the socket's local port
     * @param joined {@code true} for a join
     * @param groups every group of the socket after the change
     */
    record Membership(NetAddress group, boolean joined, List<NetAddress> groups) {
    }

}
