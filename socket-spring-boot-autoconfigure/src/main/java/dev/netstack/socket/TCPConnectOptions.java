package dev.netstack.socket;

/**
 * Where to connect and how long to try: the seed's {@code TCPConnectOptions}.
 *
 * @param address the peer
 * @param timeout how long to wait for the connection, in milliseconds; 0 means the factory's default
 * ({@code socket.tcp.connect-timeout}, 5 s); a negative value fails the connect with 401
 */
public record TCPConnectOptions(NetAddress address, int timeout) {

    /**
     * Connects to {@code address} within the factory's default timeout.
     * @param address the peer
     */
    public TCPConnectOptions(NetAddress address) {
        this(address, 0);
    }

}
