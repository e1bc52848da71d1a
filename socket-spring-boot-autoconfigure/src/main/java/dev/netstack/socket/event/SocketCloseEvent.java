package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;

/**
 * A socket was closed, by {@code close()} or (TCP) by the peer. The 'close' event: once per socket.
 *
 * <p>Its addresses are the last ones the socket had, so that a listener can tell which endpoint went away.
 */
public class SocketCloseEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an event.
     * @param socket the socket
     * @param localAddress the address it was bound to, or {@code null} when it never was
     * @param remoteAddress the peer it was connected to, or {@code null}
     */
    public SocketCloseEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress) {
        super(socket, localAddress, remoteAddress);
    }

    SocketCloseEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress) {
        super(origin, localAddress, remoteAddress);
    }

}
