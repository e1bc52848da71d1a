package dev.netstack.socket.nio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.netstack.socket.NetAddress;

/**
 * The addresses of the connections one server accepts, as {@link NetAddress} values that share what repeats: every
 * connection has the server's own local address (one of few for a wildcard), and many come from the same peer
 * address (a proxy, a NAT, a host with many clients), so an idle connection holds no copy of either text.
 *
 * <p>Any thread (connections are adopted on every loop): each cache is one immutable pair behind a volatile
 * reference, so a reader sees the old pair or the new one, each consistent; a race only makes one more copy.
 */
final class AcceptedAddresses {

    private volatile Local lastLocal;

    private volatile Peer lastPeer;

    /**
     * Returns a connection's local address, the same instance while it repeats.
     * @param address the accepted channel's local address
     * @return its {@link NetAddress}
     */
    NetAddress local(InetSocketAddress address) {
        Local last = this.lastLocal;
        if (last != null && last.socketAddress().equals(address)) {
            return last.address();
        }
        NetAddress made = Addresses.toNetAddress(address);
        this.lastLocal = new Local(address, made);
        return made;
    }

    /**
     * Returns a connection's peer address, its text the same instance while the peer's IP address repeats.
     * @param address the accepted channel's remote address
     * @return its {@link NetAddress}
     */
    NetAddress peer(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        Peer last = this.lastPeer;
        String text;
        if (last != null && last.ip().equals(ip)) {
            text = last.text();
        }
        else {
            text = Addresses.literal(ip);
            this.lastPeer = new Peer(ip, text);
        }
        return new NetAddress(text, address.getPort(), (ip instanceof Inet6Address) ? NetAddress.IPV6 : NetAddress.IPV4);
    }

    private record Local(InetSocketAddress socketAddress, NetAddress address) {
    }

    private record Peer(InetAddress ip, String text) {
    }

}
