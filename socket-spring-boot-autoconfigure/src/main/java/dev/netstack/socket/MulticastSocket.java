package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A UDP socket that joins multicast groups: the reference's {@code MulticastSocket} (API 11), made by
 * {@link SocketFactory#constructMulticastSocketInstance()}. Everything a {@link UDPSocket} does it does too, with the
 * same events; sends to a group pass the access policy like any destination.
 *
 * <p>Groups are IP literals in 224.0.0.0/4 (IPv4) or ff00::/8 (IPv6); any other address is 401. A socket joins on
 * the interface named by {@code socket.multicast.interface}, else on the one the kernel routes the group to.
 */
public interface MulticastSocket extends UDPSocket {

    /**
     * Joins a multicast group. A socket that is not bound yet is first bound to the wildcard address of the group's
     * family and the group's port, as the reference does (so {@code bind} is optional for receivers; 'listening'
     * fires); a bound socket joins at once and the group's port is not used. Fails with 401 for an address that is
     * not a group or of the other family than the socket, 2301022 when the group is joined already.
     * @param multicastAddress the group and, for an unbound socket, the port to bind
     * @return completes when the socket is a member
     */
    CompletableFuture<Void> addMembership(NetAddress multicastAddress);

    /**
     * Joins a multicast group, as {@link #addMembership(NetAddress)}.
     * @param multicastAddress the group
     * @param callback receives the result
     */
    void addMembership(NetAddress multicastAddress, AsyncCallback<Void> callback);

    /**
     * Leaves a multicast group; the socket stays open and bound, and may join again (the reference closes it).
     * Fails with 401 for an address that is not a group, 2301022 when the socket is not a member.
     * @param multicastAddress the group
     * @return completes when the socket has left the group
     */
    CompletableFuture<Void> dropMembership(NetAddress multicastAddress);

    /**
     * Leaves a multicast group, as {@link #dropMembership(NetAddress)}.
     * @param multicastAddress the group
     * @param callback receives the result
     */
    void dropMembership(NetAddress multicastAddress, AsyncCallback<Void> callback);

    /**
     * Sets the time-to-live (IPv4) or hop limit (IPv6) of the datagrams this socket sends to groups: 0 keeps them on
     * this host, 1 (the default) on the local network. Fails with 401 outside 0..255, 2301009 before the socket has
     * a channel (neither bound nor a member of a group).
     * @param ttl 0 to 255
     * @return completes when set
     */
    CompletableFuture<Void> setMulticastTTL(int ttl);

    /**
     * Sets the time-to-live, as {@link #setMulticastTTL(int)}.
     * @param ttl 0 to 255
     * @param callback receives the result
     */
    void setMulticastTTL(int ttl, AsyncCallback<Void> callback);

    /**
     * Returns the time-to-live of the datagrams this socket sends to groups. Fails with 2301009 before the socket has
     * a channel.
     * @return completes with 0 to 255
     */
    CompletableFuture<Integer> getMulticastTTL();

    /**
     * Returns the time-to-live, as {@link #getMulticastTTL()}.
     * @param callback receives the value
     */
    void getMulticastTTL(AsyncCallback<Integer> callback);

    /**
     * Sets whether the datagrams this socket sends to a group are also delivered to the members on this host (on by
     * default). Fails with 2301009 before the socket has a channel.
     * @param flag whether to loop them back
     * @return completes when set
     */
    CompletableFuture<Void> setLoopbackMode(boolean flag);

    /**
     * Sets the loopback mode, as {@link #setLoopbackMode(boolean)}.
     * @param flag whether to loop them back
     * @param callback receives the result
     */
    void setLoopbackMode(boolean flag, AsyncCallback<Void> callback);

    /**
     * Returns whether datagrams sent to a group are delivered to the members on this host. Fails with 2301009 before
     * the socket has a channel.
     * @return completes with the mode
     */
    CompletableFuture<Boolean> getLoopbackMode();

    /**
     * Returns the loopback mode, as {@link #getLoopbackMode()}.
     * @param callback receives the mode
     */
    void getLoopbackMode(AsyncCallback<Boolean> callback);

    /**
     * Sets whether other sockets may bind the same address and port (SO_REUSEADDR), so that several receivers on one
     * host each get every datagram of a group. Synchronous (API 26); applied when the socket's channel is opened, by
     * {@code bind} or {@code addMembership}, and ignored afterwards.
     * @param reuse whether to share the address
     */
    void setReuseAddress(boolean reuse);

}
