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
     * Creates a TLS socket (API 9). No channel is opened until {@code bind} or {@code connect}.
     * @return a new socket
     */
    TLSSocket constructTLSSocketInstance();

    /**
     * Takes over a connected TCP socket for TLS (API 12, STARTTLS). The TCP socket's connection, with the bytes it
     * read and did not deliver and the sends it accepted and did not write (those go out first), belongs to the new
     * socket, whose {@code connect} runs the handshake only; its address must equal the TCP socket's peer (else 401).
     * The TCP socket has no listeners left, and every call on it but {@code getState} fails with 2301009.
     * @param tcpSocket a connected TCP socket of this factory
     * @return the TLS socket, before its handshake
     * @throws BusinessError at once: 401 for {@code null}; 2303601 for a socket of another factory, or one without
     * a connection (never bound, closed, upgraded already); 2303602 for one that is bound but not connected
     */
    TLSSocket constructTLSSocketInstance(TCPSocket tcpSocket);

    /**
     * Creates a TLS server (API 10). No channel is opened until {@code listen}.
     * @return a new server
     */
    TLSSocketServer constructTLSSocketServerInstance();

    /**
     * Creates a multicast socket. No channel is opened until {@code bind} or {@code addMembership}.
     * @return a new socket
     */
    MulticastSocket constructMulticastSocketInstance();

}
