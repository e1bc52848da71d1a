package dev.netstack.socket.event;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;

/**
 * An asynchronous failure that no pending call received, such as a reset by the peer. The 'error' event.
 */
public class SocketErrorEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    private final BusinessError error;

    /**
     * Creates an event.
     * @param socket the socket
     * @param localAddress its local address
     * @param remoteAddress its peer, or {@code null}
     * @param error the failure, with its code
     */
    public SocketErrorEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress, BusinessError error) {
        super(socket, localAddress, remoteAddress);
        this.error = error;
    }

    SocketErrorEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress, BusinessError error) {
        super(origin, localAddress, remoteAddress);
        this.error = error;
    }

    /**
     * Returns the failure.
     * @return the error, with the code of the error table
     */
    public BusinessError getError() {
        return this.error;
    }

    @Override
    public String toString() {
        return super.toString() + "[error=" + this.error + "]";
    }

}
