package dev.netstack.socket.event;

import dev.netstack.socket.LocalSocketMessageInfo;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.nio.NioSocket;

/**
 * A socket received a message: a datagram (UDP) or a chunk of the stream (TCP, local). The 'message' event.
 */
public class SocketMessageEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    private final transient SocketMessageInfo message;

    private final transient LocalSocketMessageInfo localMessage;

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
        this.localMessage = null;
    }

    SocketMessageEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress,
            SocketMessageInfo message) {
        super(origin, localAddress, remoteAddress);
        this.message = message;
        this.localMessage = null;
    }

    /**
     * Creates the event of a local socket's message, whose sender is a path: {@link #getMessage()} tells the path as
     * its remote address, with family {@code "local"} and port 0.
     */
    SocketMessageEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress,
            LocalSocketMessageInfo message) {
        super(origin, localAddress, remoteAddress);
        // A copy, made on the dispatch thread: the local message keeps its bytes to itself.
        this.message = new SocketMessageInfo(message.bytes(),
                new SocketRemoteInfo(message.address(), "local", 0, message.size()));
        this.localMessage = message;
    }

    /**
     * Returns the connected peer of a TCP socket, the sender of a UDP datagram, or for a local socket its peer's
     * path, else the path of the socket file (port 0, family 0).
     * @return the address, or {@code null} when unknown
     */
    @Override
    public NetAddress getRemoteAddress() {
        NetAddress peer = super.getRemoteAddress();
        if (peer != null) {
            return peer;
        }
        if (this.localMessage != null) {
            // A peer that did not bind has no path of its own: the message tells the path it came through.
            return new NetAddress(this.localMessage.address(), 0, 0);
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

    /**
     * Returns the message of a local socket or connection as its callbacks receive it, with the path.
     * @return the message, or {@code null} for the other socket kinds
     */
    public LocalSocketMessageInfo getLocalMessage() {
        return this.localMessage;
    }

    @Override
    public String toString() {
        // The size only, never the payload: events end up in logs.
        return super.toString() + "[size=" + this.message.size() + "]";
    }

}
