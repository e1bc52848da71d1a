package dev.netstack.socket.nio;

/**
 * What every multicast socket of a factory starts with, applied when its channel is opened. {@code null} fields are
 * not applied: the kernel's defaults (TTL 1, loopback on, the route's interface) stay in force.
 *
 * @param networkInterface the interface to join groups on and send to them through: a name such as {@code eth1}, or
 * an address of the interface; {@code null} for the one the kernel routes each group to
 * @param ttl the time-to-live (hop limit) of datagrams sent to groups, 0 to 255
 * @param loopbackMode whether datagrams sent to a group are delivered to the members on this host too
 */
public record MulticastDefaults(String networkInterface, Integer ttl, Boolean loopbackMode) {

    /** The largest time-to-live. */
    public static final int MAX_TTL = 255;

    /**
     * Checks the values.
     * @throws IllegalArgumentException naming the bad value
     */
    public MulticastDefaults {
        if (networkInterface != null && networkInterface.isBlank()) {
            throw new IllegalArgumentException("networkInterface '" + networkInterface + "' must not be blank");
        }
        if (ttl != null && (ttl < 0 || ttl > MAX_TTL)) {
            throw new IllegalArgumentException("ttl " + ttl + " is out of range 0.." + MAX_TTL);
        }
    }

    /**
     * Returns defaults that change nothing.
     * @return the kernel's defaults
     */
    public static MulticastDefaults none() {
        return new MulticastDefaults(null, null, null);
    }

}
