package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;

/**
 * A TCP connection was established. The 'connect' event.
 */
public class SocketConnectEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an event.
     * @param socket the socket
     * @param localAddress its local address
     * @param remoteAddress the peer
     */
    public SocketConnectEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress) {
        super(socket, localAddress, remoteAddress);
    }

    SocketConnectEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress) {
        super(origin, localAddress, remoteAddress);
    }

}
