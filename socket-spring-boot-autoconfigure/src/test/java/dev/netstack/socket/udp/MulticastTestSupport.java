package dev.netstack.socket.udp;

import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.netns.InNetworkNamespace;
import dev.netstack.socket.netns.NetworkNamespace;

/**
 * What the multicast tests share. They run only in the private network namespace of the {@code netns} test
 * execution ({@link InNetworkNamespace}); groups are in 239.255.0.0/16 and ff15::/16, and every socket that sends
 * to a group does so with TTL 1 at most, set explicitly.
 */
@InNetworkNamespace
abstract class MulticastTestSupport extends UdpTestSupport {

    /** The families, each with two groups of the administratively scoped (IPv4) or site-local (IPv6) ranges. */
    enum Family {

        IPV4(NetAddress.IPV4, "239.255.77.1", "239.255.77.2", "0.0.0.0"),

        IPV6(NetAddress.IPV6, "ff15::77:1", "ff15::77:2", "::");

        final int number;

        final String groupA;

        final String groupB;

        final String wildcard;

        Family(int number, String groupA, String groupB, String wildcard) {
            this.number = number;
            this.groupA = groupA;
            this.groupB = groupB;
            this.wildcard = wildcard;
        }

        NetAddress groupA(int port) {
            return new NetAddress(this.groupA, port, this.number);
        }

        NetAddress groupB(int port) {
            return new NetAddress(this.groupB, port, this.number);
        }

        NetAddress any() {
            return new NetAddress(this.wildcard, 0, this.number);
        }

        /** Skips the calling test when the namespace was not set up for this family, saying why. */
        void assumeReady() {
            NetworkNamespace.assumeFamily(this.number);
        }

    }

    MulticastSocket newMulticastSocket() {
        return factory().constructMulticastSocketInstance();
    }

    /**
     * Makes a socket that joins a group, sharing the address with other receivers.
     * @param group the group; port 0 picks a free port
     * @return the member, bound to the wildcard and the group's port
     */
    MulticastSocket member(NetAddress group) {
        MulticastSocket socket = newMulticastSocket();
        socket.setReuseAddress(true);
        await(socket.addMembership(group));
        return socket;
    }

    /**
     * Makes a socket that sends to groups of a family, with TTL 1 set explicitly.
     * @param family the family
     * @return the sender, bound to a free port of the wildcard
     */
    MulticastSocket sender(Family family) {
        MulticastSocket socket = newMulticastSocket();
        await(socket.bind(family.any()));
        await(socket.setMulticastTTL(1));
        return socket;
    }

    static void send(MulticastSocket sender, String text, NetAddress group) {
        await(sender.send(new UDPSendOptions(text, group)));
    }

    static int port(MulticastSocket socket) {
        return localAddress(socket).port();
    }

    CompletableFuture<Void> addMembership(MulticastSocket socket, NetAddress group, Form form) {
        return (form == Form.PROMISE) ? socket.addMembership(group)
                : viaCallback(cb -> socket.addMembership(group, cb));
    }

    CompletableFuture<Void> dropMembership(MulticastSocket socket, NetAddress group, Form form) {
        return (form == Form.PROMISE) ? socket.dropMembership(group)
                : viaCallback(cb -> socket.dropMembership(group, cb));
    }

    CompletableFuture<Void> setMulticastTTL(MulticastSocket socket, int ttl, Form form) {
        return (form == Form.PROMISE) ? socket.setMulticastTTL(ttl)
                : viaCallback(cb -> socket.setMulticastTTL(ttl, cb));
    }

    CompletableFuture<Integer> getMulticastTTL(MulticastSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getMulticastTTL() : viaCallback(socket::getMulticastTTL);
    }

    CompletableFuture<Void> setLoopbackMode(MulticastSocket socket, boolean flag, Form form) {
        return (form == Form.PROMISE) ? socket.setLoopbackMode(flag)
                : viaCallback(cb -> socket.setLoopbackMode(flag, cb));
    }

    CompletableFuture<Boolean> getLoopbackMode(MulticastSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getLoopbackMode() : viaCallback(socket::getLoopbackMode);
    }

}
