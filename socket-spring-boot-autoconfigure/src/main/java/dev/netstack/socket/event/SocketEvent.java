package dev.netstack.socket.event;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.NetSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;

import org.springframework.context.ApplicationEvent;

/**
 * A socket event republished as a Spring {@link ApplicationEvent}: the base of every event that a socket made by
 * the {@code SocketFactory} bean publishes, without the application calling {@code on()}.
 *
 * <p>Delivered on the event dispatch thread, never on the socket's event loop: a listener may take its time, but a
 * listener that blocks delays the events of every socket (never their I/O). Once the bounded queue is full, UDP
 * message and error events are dropped and counted, and TCP sockets stop reading until it drains
 * ({@link SocketEventPublisher}). The addresses are those known when the event happened.
 */
public abstract class SocketEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient NioSocket socket;

    private final long socketId;

    private final Protocol protocol;

    private final String serverName;

    private final NetAddress localAddress;

    private final NetAddress remoteAddress;

    /**
     * Creates an event.
     * @param socket the socket that emitted it
     * @param localAddress the socket's local address, or {@code null} when not known
     * @param remoteAddress the peer's address, or {@code null} when not known
     */
    protected SocketEvent(NioSocket socket, NetAddress localAddress, NetAddress remoteAddress) {
        this(socket, socket.id(), socket.protocol(), socket.name(), localAddress, remoteAddress);
    }

    /**
     * Creates an event on the dispatch thread from what was queued for it.
     * @param origin the socket's entry
     * @param localAddress the socket's local address, or {@code null} when not known
     * @param remoteAddress the peer's address, or {@code null} when not known
     */
    SocketEvent(ObservedSocket origin, NetAddress localAddress, NetAddress remoteAddress) {
        this(origin.get(), origin.id(), origin.protocol(), origin.serverName(), localAddress, remoteAddress);
    }

    private SocketEvent(NioSocket socket, long socketId, Protocol protocol, String serverName,
            NetAddress localAddress, NetAddress remoteAddress) {
        // A closed socket may have been collected before its queued events were published: the source then names it.
        super((socket != null) ? socket.apiSocket() : protocol.name() + " socket #" + socketId);
        this.socket = socket;
        this.socketId = socketId;
        this.protocol = protocol;
        this.serverName = serverName;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Returns the socket that emitted the event; also the event's source.
     * @return the {@link dev.netstack.socket.UDPSocket}, {@link dev.netstack.socket.MulticastSocket},
     * {@link dev.netstack.socket.TCPSocket}, {@link dev.netstack.socket.TCPSocketConnection} or, for a server's
     * listening and close events, the {@link dev.netstack.socket.TCPSocketServer}; for the local kinds the engine's
     * socket (their API is not a {@code NetSocket}: use {@link #getSocket(Class)} or {@link #getSource()}, which is the
     * {@link dev.netstack.socket.LocalSocket} or {@link dev.netstack.socket.LocalSocketConnection}); never {@code null} while the
     * socket is open; {@code null} when the socket had closed and nothing but queued events referred to
     * it (they do not keep a closed socket reachable), when {@link #getSocketId()} and {@link #getProtocol()} still
     * name it and the source is its name, such as "TCP socket #7"
     */
    public NetSocket getSocket() {
        return this.socket;
    }

    /**
     * Returns the socket that emitted the event as the application holds it, of any kind: how a listener reaches a
     * {@link dev.netstack.socket.LocalSocketConnection}, whose API is not a {@link NetSocket}.
     * @param kind the interface expected, e.g. {@code LocalSocketConnection.class}
     * @param <S> the kind
     * @return the socket, or {@code null} when it is not of that kind or no longer known (see {@link #getSocket()})
     */
    public <S> S getSocket(Class<S> kind) {
        Object api = (this.socket != null) ? this.socket.apiSocket() : null;
        return kind.isInstance(api) ? kind.cast(api) : null;
    }

    /**
     * Returns the server that accepted the connection this event comes from.
     * @return the server (a {@link dev.netstack.socket.TCPSocketServer}), or {@code null} for a socket that no
     * server accepted
     */
    public NetSocket getServer() {
        return (this.socket != null) ? this.socket.server() : null;
    }

    /**
     * Returns the name of the declared server ({@code socket.servers.<name>}) that this event comes from: the server
     * itself, or the server that accepted the connection. Use it to tell servers apart in an
     * {@code @EventListener(condition = "event.serverName == 'telemetry'")}.
     * @return the name, or {@code null} for a socket of no declared server
     */
    public String getServerName() {
        return this.serverName;
    }

    /**
     * Returns the socket's transport.
     * @return {@code "udp"}, {@code "tcp"} or {@code "local"}
     */
    public String getProtocol() {
        return this.protocol.tag();
    }

    /**
     * Returns the socket's number, unique within its factory; the {@code sockets} endpoint shows the same.
     * @return the id
     */
    public long getSocketId() {
        return this.socketId;
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
        return getClass().getSimpleName() + "[socket=" + getSource() + ", localAddress=" + this.localAddress
                + ", remoteAddress=" + this.remoteAddress + "]";
    }

}
