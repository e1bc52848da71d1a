package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.NetSocket;
import dev.netstack.socket.nio.NioSocket;

import org.springframework.context.ApplicationEvent;

/**
 * A socket event republished as a Spring {@link ApplicationEvent}: the base of every event that a socket made by
 * the {@code SocketFactory} bean publishes, without the application calling {@code on()}.
 *
 * <p>Delivered on the event dispatch thread, never on the socket's event loop: a listener may take its time, but a
 * listener that blocks delays the events of every socket (never their I/O), and once the bounded queue is full,
 * message and error events are dropped and counted. The addresses are those known when the event happened.
 */
public abstract class SocketEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient NioSocket socket;

    private final NetAddress localAddress;

    private final NetAddress remoteAddress;

    /**
     * Creates an event.
     * @param socket the socket that emitted it
     * @param localAddress the socket's local address, or {@code null} when not known
     * @param remoteAddress the peer's address, or {@code null} when not known
     */
    protected SocketEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress) {
        super(socket);
        this.socket = socket;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Returns the socket that emitted the event.
     * @return the {@link dev.netstack.socket.UDPSocket}, {@link dev.netstack.socket.MulticastSocket} or
     * {@link dev.netstack.socket.TCPSocket}
     */
    public NetSocket getSocket() {
        return this.socket;
    }

    /**
     * Returns the socket's transport.
     * @return {@code "udp"} or {@code "tcp"}
     */
    public String getProtocol() {
        return this.socket.protocol().tag();
    }

    /**
     * Returns the socket's number, unique within its factory; the {@code sockets} endpoint shows the same.
     * @return the id
     */
    public long getSocketId() {
        return this.socket.id();
    }

    /**
     * Returns the socket's local address when the event happened.
     * @return the address, or {@code null} when the socket was not bound
     */
    public NetAddress getLocalAddress() {
        return this.localAddress;
    }

    /**
     * Returns the peer's address: the connected peer of a TCP socket, or for a UDP message its sender.
     * @return the address, or {@code null} when there is none
     */
    public NetAddress getRemoteAddress() {
        return this.remoteAddress;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[socket=" + this.socket + ", localAddress=" + this.localAddress
                + ", remoteAddress=" + this.remoteAddress + "]";
    }

}
