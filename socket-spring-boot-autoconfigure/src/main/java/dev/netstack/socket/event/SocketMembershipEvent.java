package dev.netstack.socket.event;

import java.util.List;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.nio.NioSocket;

/**
 * A multicast socket joined or left a group ({@code addMembership} or {@code dropMembership} succeeded). No seed
 * event: the reference tells only the caller; here every listener can follow which groups a socket is a member of.
 */
public class SocketMembershipEvent extends SocketEvent {

    private static final long serialVersionUID = 1L;

    private final NetAddress group;

    private final boolean joined;

    private final List<NetAddress> groups;

    /**
     * Creates an event.
     * @param socket the multicast socket
     * @param localAddress its local address
     * @param group the group, with the socket's local port
     * @param joined {@code true} when the socket joined, {@code false} when it left
     * @param groups every group the socket is a member of after the change
     */
    public SocketMembershipEvent(NioSocket socket, NetAddress localAddress, NetAddress group, boolean joined,
            List<NetAddress> groups) {
        super(socket, localAddress, null);
        this.group = group;
        this.joined = joined;
        this.groups = List.copyOf(groups);
    }

    /**
     * Creates an event on the dispatch thread from what was queued for it.
     * @param origin the socket's entry
     * @param localAddress its local address
     * @param group the group, with the socket's local port
     * @param joined {@code true} when the socket joined, {@code false} when it left
     * @param groups every group the socket is a member of after the change
     */
    SocketMembershipEvent(ObservedSocket origin, NetAddress localAddress, NetAddress group, boolean joined,
            List<NetAddress> groups) {
        super(origin, localAddress, null);
        this.group = group;
        this.joined = joined;
        this.groups = List.copyOf(groups);
    }

    /**
     * Returns the group joined or left.
     * @return the group's address and the socket's local port
     */
    public NetAddress getGroup() {
        return this.group;
    }

    /**
     * Returns whether the socket joined the group.
     * @return {@code true} for a join, {@code false} for a leave
     */
    public boolean isJoined() {
        return this.joined;
    }

    /**
     * Returns the groups the socket is a member of after this change, in the order joined.
     * @return an immutable list
     */
    public List<NetAddress> getGroups() {
        return this.groups;
    }

    @Override
    public String toString() {
        return super.toString() + "[" + (this.joined ? "joined " : "left ") + this.group + ", groups=" + this.groups
                + "]";
    }

}
