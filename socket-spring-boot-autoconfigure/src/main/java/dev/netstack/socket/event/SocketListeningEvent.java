package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;

/**
 * A UDP socket was bound and receives datagrams. The 'listening' event.
 */
public class SocketListeningEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an event.
     * @param socket the socket
     * @param localAddress the address it is bound to
     */
    public SocketListeningEvent(NioSocket socket, NetAddress localAddress) {
        super(socket, localAddress, null);
    }

    SocketListeningEvent(ObservedSocket origin, NetAddress localAddress) {
        super(origin, localAddress, null);
    }

}
