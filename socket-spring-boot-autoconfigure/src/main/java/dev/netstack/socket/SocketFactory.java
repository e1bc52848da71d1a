package dev.netstack.socket;

/**
 * Makes sockets: the seed's {@code socket.constructUDPSocketInstance()} and
 * {@code socket.constructTCPSocketInstance()}, and the later {@code socket.constructMulticastSocketInstance()}.
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
     * Creates a multicast socket. No channel is opened until {@code bind} or {@code addMembership}.
     * @return a new socket
     */
    MulticastSocket constructMulticastSocketInstance();

}
