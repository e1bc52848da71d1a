package dev.netstack.socket;

/**
 * Makes sockets: the seed's {@code socket.constructUDPSocketInstance()} and
 * {@code socket.constructTCPSocketInstance()}, and the later kinds of the reference by the same names.
 *
 * <p>In a Spring application, inject the bean; without Spring, use {@code NioSocketFactory.create()}.
 */
public interface SocketFactory {

    /**
     * Creates a UDP socket. No channel is opened until {@code bind}.
     * @return a new socket
     */
    UDPSocket constructUDPSocketInstance();

    /**
     * Creates a TCP socket. No channel is opened until {@code bind} or {@code connect}.
     * @return a new socket
     */
    TCPSocket constructTCPSocketInstance();

    /**
     * Creates a TCP server (API 10). No channel is opened until {@code listen}.
     * @return a new server
     */
    TCPSocketServer constructTCPSocketServerInstance();

    /**
     * Creates a multicast socket. No channel is opened until {@code bind} or {@code addMembership}.
     * @return a new socket
     */
    MulticastSocket constructMulticastSocketInstance();

    /**
     * Creates a local (Unix domain stream) socket (API 11). No channel is opened until {@code bind} or
     * {@code connect}.
     * @return a new socket
     */
    LocalSocket constructLocalSocketInstance();

    /**
     * Creates a local (Unix domain stream) server (API 11). No channel is opened until {@code listen}.
     * @return a new server
     */
    LocalSocketServer constructLocalSocketServerInstance();

}
