package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;

/**
 * Checks multicast group addresses and finds the interface to join a group on: the configured one, else the one the
 * kernel routes the group to.
 */
final class MulticastGroups {

    /** Where the configured interface comes from, for messages. */
    private static final String PROPERTY = "socket.multicast.interface";

    private MulticastGroups() {
    }

    /**
     * Checks a group address: an IP literal of its family in 224.0.0.0/4 or ff00::/8, port 0 to 65535.
     * @param group the group
     * @return the parsed group
     * @throws BusinessError 401 naming the bad value
     */
    static InetSocketAddress parse(NetAddress group) {
        InetSocketAddress parsed = Addresses.parse(group, false);
        if (parsed == null) {
            throw Errors.parameter("multicast group '" + group.address() + "' is not an IP literal");
        }
        if (!parsed.getAddress().isMulticastAddress()) {
            throw Errors.parameter("address " + Addresses.literal(parsed.getAddress())
                    + " is not a multicast group: groups are in 224.0.0.0/4 (IPv4) and ff00::/8 (IPv6)");
        }
        return parsed;
    }

    /**
     * Finds the configured interface.
     * @param nameOrAddress an interface name such as {@code eth1}, or an IP literal of one of its addresses
     * @return the interface
     * @throws BusinessError 2301099 when the host has no such interface, 401 for a malformed literal
     */
    static NetworkInterface configured(String nameOrAddress) {
        int family = (nameOrAddress.indexOf(':') >= 0) ? NetAddress.IPV6 : NetAddress.IPV4;
        // A literal is parsed without any look-up; anything else that may be a host name is an interface name.
        InetSocketAddress literal = Addresses.parse(new NetAddress(nameOrAddress, 0, family), false);
        NetworkInterface found;
        try {
            found = (literal != null) ? NetworkInterface.getByInetAddress(literal.getAddress())
                    : NetworkInterface.getByName(nameOrAddress);
        }
        catch (SocketException ex) {
            throw Errors.io("find multicast interface '" + nameOrAddress + "' (" + PROPERTY + ")", ex);
        }
        if (found == null) {
            throw new BusinessError(BusinessError.ADDRESS_NOT_AVAILABLE, "multicast interface '" + nameOrAddress
                    + "' (" + PROPERTY + ") is no interface of this host");
        }
        return found;
    }

    /**
     * Finds the interface the kernel routes a group to. A UDP channel connected to the group learns the source
     * address the kernel would use; connecting a datagram channel sends nothing.
     * @param group the group
     * @param family the socket's family
     * @return the interface that holds that source address
     * @throws BusinessError 2301101 when no route leads to the group, 2301099 when the route's interface has no
     * address of the family (then the interface must be configured)
     */
    static NetworkInterface routeTo(InetSocketAddress group, int family) {
        InetAddress source;
        try (DatagramChannel lookup = DatagramChannel
            .open(family == NetAddress.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            lookup.connect(new InetSocketAddress(group.getAddress(), (group.getPort() != 0) ? group.getPort() : 9));
            source = ((InetSocketAddress) lookup.getLocalAddress()).getAddress();
        }
        catch (IOException ex) {
            throw Errors.io("find the route to multicast group " + Addresses.literal(group.getAddress())
                    + " (set " + PROPERTY + " to choose an interface)", ex);
        }
        NetworkInterface found = null;
        if (!source.isAnyLocalAddress()) {
            try {
                found = NetworkInterface.getByInetAddress(source);
            }
            catch (SocketException ex) {
                throw Errors.io("find the interface of " + Addresses.literal(source), ex);
            }
        }
        if (found == null) {
            throw new BusinessError(BusinessError.ADDRESS_NOT_AVAILABLE, "the route to multicast group "
                    + Addresses.literal(group.getAddress()) + " leads to no interface with an "
                    + Addresses.familyName(family) + " address; set " + PROPERTY + " to choose one");
        }
        return found;
    }

}
