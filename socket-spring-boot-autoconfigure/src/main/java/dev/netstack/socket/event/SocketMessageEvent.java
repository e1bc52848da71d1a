package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.nio.NioSocket;

/**
 * A socket received a message: a datagram (UDP) or a chunk of the stream (TCP). The 'message' event.
 */
public class SocketMessageEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    private final transient SocketMessageInfo message;

    /**
     * Creates an event.
     * @param socket the socket that received the message
     * @param localAddress the socket's local address
     * @param remoteAddress the connected peer, or {@code null} to report the message's sender
     * @param message the message and its sender
     */
    public SocketMessageEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress,
            SocketMessageInfo message) {
        super(socket, localAddress, remoteAddress);
        this.message = message;
    }

    SocketMessageEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress,
            SocketMessageInfo message) {
        super(origin, localAddress, remoteAddress);
        this.message = message;
    }

    /**
     * Returns the connected peer of a TCP socket, or the sender of a UDP datagram.
     * @return the address, or {@code null} when unknown
     */
    @Override
    public NetAddress getRemoteAddress() {
        NetAddress peer = super.getRemoteAddress();
        if (peer != null) {
            return peer;
        }
        // Built here, on the listener's thread, rather than for every datagram on the event loop.
        SocketRemoteInfo sender = this.message.remoteInfo();
        return (sender != null) ? new NetAddress(sender.address(), sender.port(),
                "IPv6".equals(sender.family()) ? NetAddress.IPV6 : NetAddress.IPV4) : null;
    }

    /**
     * Returns the message: its bytes and where it came from.
     * @return the message, shared by every listener: read it through {@code message()}, {@code bytes()} or
     * {@code text()}, which never change it
     */
    public SocketMessageInfo getMessage() {
        return this.message;
    }

    @Override
    public String toString() {
        // The size only, never the payload: events end up in logs.
        return super.toString() + "[size=" + this.message.size() + "]";
    }

}
