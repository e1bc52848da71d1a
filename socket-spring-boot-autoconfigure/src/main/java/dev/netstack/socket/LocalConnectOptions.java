package dev.netstack.socket;

/**
 * Where and how long a {@link LocalSocket} connects: the reference's {@code LocalConnectOptions} (API 11).
 *
 * @param address the path of the server's socket file
 * @param timeout milliseconds; 0 means {@code socket.tcp.connect-timeout} (5 s by default); negative is 401
 */
public record LocalConnectOptions(LocalAddress address, int timeout) {

    /**
     * Connects with the default timeout.
     * @param address the path of the server's socket file
     */
    public LocalConnectOptions(LocalAddress address) {
        this(address, 0);
    }

}
