package dev.netstack.socket;

/**
 * An IP address and port: the seed's {@code NetAddress}.
 *
 * <p>Values are not checked here; the operation that receives the address checks them and fails through its
 * callback or future with 401 and a message naming the value.
 *
 * @param address an IP literal of the stated family, a host name (e.g. {@code localhost}), or a wildcard
 * ({@code 0.0.0.0}, {@code ::})
 * @param port 0 to 65535; 0 lets the system pick a free port when binding
 * @param family {@link #IPV4} (1) or {@link #IPV6} (2)
 */
public record NetAddress(String address, int port, int family) {

    /** The family of IPv4 addresses. */
    public static final int IPV4 = 1;

    /** The family of IPv6 addresses. */
    public static final int IPV6 = 2;

    /**
     * An IPv4 address with any port (port 0, family 1), as the seed's defaults.
     * @param address the address
     */
    public NetAddress(String address) {
        this(address, 0, IPV4);
    }

    /**
     * An IPv4 address and port (family 1), as the seed's default family.
     * @param address the address
     * @param port the port
     */
    public NetAddress(String address, int port) {
        this(address, port, IPV4);
    }

}
