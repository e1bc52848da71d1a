package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;

/**
 * A {@link MulticastSocket}: the engine's UDP socket, whose channel also joins groups. Sends, receives, options and
 * the close sequence are the UDP socket's; this class adds group membership, TTL and loopback mode.
 *
 * <p>Threading as every socket: memberships are changed on the socket's loop only; {@link #groups()} is an
 * immutable list behind a volatile reference, so that monitoring reads it from any thread.
 */
public final class NioMulticastSocket extends NioUDPSocket implements MulticastSocket {

    private static final System.Logger logger = Loggers.of(NioMulticastSocket.class);

    private final MulticastDefaults defaults;

    /** Set by {@link #setReuseAddress(boolean)} on any thread, read on the loop when the channel opens. */
    private volatile Boolean reuseAddress;

    /** Loop only: the memberships, by group, in the order joined. */
    private final Map<InetAddress, MembershipKey> memberships = new LinkedHashMap<>();

    /** The groups joined, as {@link #groups()} reports them; replaced on the loop at each change. */
    private volatile List<NetAddress> groups = List.of();

    NioMulticastSocket(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory);
        this.defaults = factory.settings().multicastDefaults();
    }

    /**
     * Returns the groups this socket is a member of now, each with the socket's local port.
     * @return an immutable list in the order joined; empty before the first join and after close
     */
    public List<NetAddress> groups() {
        return this.groups;
    }

    @Override
    public void setReuseAddress(boolean reuse) {
        this.reuseAddress = reuse;
    }

    @Override
    void configure(DatagramChannel opened) throws IOException {
        Boolean reuse = this.reuseAddress;
        if (reuse != null) {
            opened.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
        }
        if (this.defaults.networkInterface() != null) {
            // Sends to groups leave through the configured interface too, not only the joins.
            opened.setOption(StandardSocketOptions.IP_MULTICAST_IF,
                    MulticastGroups.configured(this.defaults.networkInterface()));
        }
        if (this.defaults.ttl() != null) {
            opened.setOption(StandardSocketOptions.IP_MULTICAST_TTL, this.defaults.ttl());
        }
        if (this.defaults.loopbackMode() != null) {
            opened.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, this.defaults.loopbackMode());
        }
    }

    @Override
    public CompletableFuture<Void> addMembership(NetAddress multicastAddress) {
        return Callbacks.future(callback -> addMembership(multicastAddress, callback));
    }

    @Override
    public void addMembership(NetAddress multicastAddress, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        InetSocketAddress group;
        try {
            group = MulticastGroups.parse(multicastAddress);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> joinOnLoop(group, multicastAddress.family(), callback), callback);
    }

    private void joinOnLoop(InetSocketAddress group, int family, AsyncCallback<Void> callback) {
        if (isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        InetAddress address = group.getAddress();
        if (this.memberships.containsKey(address)) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "multicast group " + Addresses.literal(address) + " is already joined"));
            return;
        }
        if (!hasState(BOUND)) {
            // As the reference: a receiver need not bind; it gets the group's port on every address of the family.
            BusinessError failed = openChannel(new InetSocketAddress(wildcard(family), group.getPort()), family);
            if (failed != null) {
                fail(callback, failed);
                return;
            }
        }
        int socketFamily = localAddress().family();
        if (socketFamily != family) {
            fail(callback, Errors.parameter("multicast group " + Addresses.literal(address) + " is "
                    + Addresses.familyName(family) + " but the socket is bound to " + Addresses.familyName(socketFamily)
                    + " (family " + socketFamily + ")"));
            return;
        }
        MembershipKey key;
        try {
            NetworkInterface joinOn = (this.defaults.networkInterface() != null)
                    ? MulticastGroups.configured(this.defaults.networkInterface())
                    : MulticastGroups.routeTo(group, family);
            key = channel().join(address, joinOn);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        catch (IOException | RuntimeException ex) {
            fail(callback, Errors.io("join multicast group " + Addresses.literal(address), ex));
            return;
        }
        this.memberships.put(address, key);
        membershipsChanged(address, true);
        logger.log(Level.INFO, () -> this + " joined multicast group " + Addresses.literal(address) + " on "
                + key.networkInterface().getName());
        succeed(callback, null);
    }

    @Override
    public CompletableFuture<Void> dropMembership(NetAddress multicastAddress) {
        return Callbacks.future(callback -> dropMembership(multicastAddress, callback));
    }

    @Override
    public void dropMembership(NetAddress multicastAddress, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        InetAddress group;
        try {
            group = MulticastGroups.parse(multicastAddress).getAddress();
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> leaveOnLoop(group, callback), callback);
    }

    private void leaveOnLoop(InetAddress group, AsyncCallback<Void> callback) {
        if (isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        MembershipKey key = this.memberships.remove(group);
        if (key == null) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "multicast group " + Addresses.literal(group) + " is not joined"));
            return;
        }
        // The kernel leaves the group now: no datagram sent to it after this point reaches the socket because of it.
        key.drop();
        membershipsChanged(group, false);
        logger.log(Level.INFO, () -> this + " left multicast group " + Addresses.literal(group));
        succeed(callback, null);
    }

    /** Loop only: publishes the new list of groups and tells the meters and observers. */
    private void membershipsChanged(InetAddress group, boolean joined) {
        int port = localAddress().port();
        List<NetAddress> now = new ArrayList<>(this.memberships.size());
        for (InetAddress member : this.memberships.keySet()) {
            now.add(Addresses.toNetAddress(new InetSocketAddress(member, port)));
        }
        this.groups = List.copyOf(now);
        stats().memberships(joined ? 1 : -1);
        this.factory.dispatcher().membershipChanged(this,
                Addresses.toNetAddress(new InetSocketAddress(group, port)), joined);
    }

    @Override
    public CompletableFuture<Void> setMulticastTTL(int ttl) {
        return Callbacks.future(callback -> setMulticastTTL(ttl, callback));
    }

    @Override
    public void setMulticastTTL(int ttl, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        if (ttl < 0 || ttl > MulticastDefaults.MAX_TTL) {
            fail(callback, Errors.parameter("ttl " + ttl + " is out of range 0.." + MulticastDefaults.MAX_TTL));
            return;
        }
        onChannel("setMulticastTTL", callback, channel -> {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            return null;
        });
    }

    @Override
    public CompletableFuture<Integer> getMulticastTTL() {
        return Callbacks.future(callback -> getMulticastTTL(callback));
    }

    @Override
    public void getMulticastTTL(AsyncCallback<Integer> callback) {
        if (refuseCall(callback)) {
            return;
        }
        onChannel("getMulticastTTL", callback, channel -> channel.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
    }

    @Override
    public CompletableFuture<Void> setLoopbackMode(boolean flag) {
        return Callbacks.future(callback -> setLoopbackMode(flag, callback));
    }

    @Override
    public void setLoopbackMode(boolean flag, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        onChannel("setLoopbackMode", callback, channel -> {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, flag);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> getLoopbackMode() {
        return Callbacks.future(callback -> getLoopbackMode(callback));
    }

    @Override
    public void getLoopbackMode(AsyncCallback<Boolean> callback) {
        if (refuseCall(callback)) {
            return;
        }
        onChannel("getLoopbackMode", callback, channel -> channel.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
    }

    /**
     * Runs a step on the open channel, on the loop; fails with 2301009 when there is none yet or any more.
     * @param operation the caller's method, for messages
     * @param callback receives the step's result or failure
     * @param step what to do with the channel
     * @param <T> the result type
     */
    private <T> void onChannel(String operation, AsyncCallback<T> callback, ChannelStep<T> step) {
        onLoop(() -> {
            if (isClosed()) {
                fail(callback, Errors.closed());
                return;
            }
            if (!hasState(BOUND)) {
                fail(callback, new BusinessError(BusinessError.NOT_BOUND,
                        "socket has no channel yet: call bind() or addMembership() before " + operation + "()"));
                return;
            }
            T value;
            try {
                value = step.apply(channel());
            }
            catch (IOException | RuntimeException ex) {
                fail(callback, Errors.io(operation, ex));
                return;
            }
            succeed(callback, value);
        }, callback);
    }

    @Override
    Map<String, Object> readOptions() {
        Map<String, Object> options = super.readOptions();
        if (!options.isEmpty()) {
            // Not empty: the channel is open, and the map is the UDP socket's own, which may take more.
            try {
                options.put("multicastTTL", channel().getOption(StandardSocketOptions.IP_MULTICAST_TTL));
                options.put("loopbackMode", channel().getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            }
            catch (IOException ex) {
                // Not readable: leave them out rather than report a guess.
            }
        }
        return options;
    }

    @Override
    void closeChannel() {
        // Closing the channel leaves every group; the books follow.
        super.closeChannel();
        if (!this.memberships.isEmpty()) {
            stats().memberships(-this.memberships.size());
            this.memberships.clear();
            this.groups = List.of();
        }
    }

    private static InetAddress wildcard(int family) {
        try {
            return InetAddress.getByAddress(new byte[(family == NetAddress.IPV4) ? 4 : 16]);
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", ex);
        }
    }

    /** A step on the channel that may fail with an {@link IOException}. */
    @FunctionalInterface
    private interface ChannelStep<T> {

        T apply(DatagramChannel channel) throws IOException;

    }

}
