package dev.netstack.socket.sample;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketRemoteInfo;

/**
 * Builds the API's {@link NetAddress} from configured values and prints addresses as people write them.
 */
final class NetAddresses {

    private NetAddresses() {
    }

    /**
     * Makes an address of the family its literal shows: IPv6 when it has a colon, IPv4 otherwise (also host names,
     * the API's default family).
     * @param address an IP literal, a host name or a wildcard
     * @param port the port
     * @return the address
     */
    static NetAddress of(String address, int port) {
        return new NetAddress(address, port, address.contains(":") ? NetAddress.IPV6 : NetAddress.IPV4);
    }

    /**
     * Returns where a message came from, as an address to answer to.
     * @param sender the sender of a message
     * @return the address
     */
    static NetAddress of(SocketRemoteInfo sender) {
        return new NetAddress(sender.address(), sender.port(),
                "IPv6".equals(sender.family()) ? NetAddress.IPV6 : NetAddress.IPV4);
    }

    /**
     * Prints an address as {@code 127.0.0.1:9999} or {@code [::1]:9999}.
     * @param address the address, or {@code null}
     * @return the text, or {@code "-"} for {@code null}
     */
    static String describe(NetAddress address) {
        if (address == null) {
            return "-";
        }
        String host = (address.family() == NetAddress.IPV6) ? "[" + address.address() + "]" : address.address();
        return host + ":" + address.port();
    }

}
