package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPExtraOptions;

/**
 * A server on IP addresses, on the shared accept path of {@link NioServerSocket}: what the TCP and TLS servers share.
 *
 * <p>Its options start as the factory's TCP defaults; {@code setExtraOptions} merges into them, applies what
 * matters to the listening channel, and applies the update to every open connection on that connection's loop.
 *
 * @param <C> the kind of connection this server makes
 */
abstract class NioIpServerSocket<C extends NioAcceptedSocket> extends NioServerSocket<C> {

    private static final System.Logger logger = Loggers.of(NioIpServerSocket.class);

    /** The options of later connections; replaced whole, so a connection's loop reads a consistent value. */
    private volatile TCPExtraOptions options;

    NioIpServerSocket(long id, EventLoop loop, NioSocketFactory factory, Protocol protocol) {
        super(id, loop, factory, protocol);
        this.options = factory.settings().tcpDefaults();
    }

    /**
     * Returns the options that a new connection starts with.
     * @return the factory's defaults merged with every setExtraOptions
     */
    TCPExtraOptions connectionOptions() {
        return this.options;
    }

    // ---- listen

    /**
     * Tells whether a listen must fail at once because the server is closed; the callback has the error then.
     * @param callback the listen's callback
     * @return whether the listen is refused
     */
    boolean refuseListen(AsyncCallback<Void> callback) {
        Callbacks.requireCallback(callback);
        if (isCloseRequested()) {
            fail(callback, new BusinessError(BusinessError.SERVER_CLOSED, "server is closed: make a new one"));
            return true;
        }
        return false;
    }

    /**
     * Checks the address (never a look-up) and the access policy, and listens on the loop.
     * @param address the local address
     * @param callback receives the result
     * @param prepare runs on the loop first, unless the server listens already (a second listen changes nothing)
     */
    void listenAt(NetAddress address, AsyncCallback<Void> callback, Runnable prepare) {
        InetSocketAddress local;
        try {
            // Never a look-up: a name other than localhost is 401, as for bind.
            local = Addresses.parseLocal(address);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        BusinessError denied = this.factory.settings().accessPolicy().checkDestination(local);
        if (denied != null && !local.getAddress().isAnyLocalAddress()) {
            fail(callback, denied);
            return;
        }
        onLoop(() -> {
            if (listeningChannel() == null) {
                prepare.run();
            }
            listenOnLoop(local, callback);
        }, callback);
    }

    @Override
    ServerSocketChannel openServerChannel(SocketAddress local) throws IOException {
        InetSocketAddress inet = (InetSocketAddress) local;
        ServerSocketChannel opened = ServerSocketChannel.open((inet.getAddress() instanceof Inet6Address)
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            applyToListening(opened, this.options);
        }
        catch (IOException | RuntimeException ex) {
            Channels.closeQuietly(opened);
            throw ex;
        }
        return opened;
    }

    /**
     * Applies what a listening channel takes: reuse-address (before bind, so a restart can take a port in
     * TIME_WAIT) and the receive buffer (inherited by accepted connections, so it must be set before they arrive to
     * size the window). The other options belong to connections.
     */
    private static void applyToListening(ServerSocketChannel channel, TCPExtraOptions options) throws IOException {
        if (options.getReuseAddress() != null) {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.getReuseAddress());
        }
        if (options.getReceiveBufferSize() != null) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.getReceiveBufferSize());
        }
    }

    @Override
    void listening(ServerSocketChannel listening) {
        bound(Channels.localSocketAddress(listening, null));
    }

    @Override
    Object localAddressObject() {
        return localAddress();
    }

    @Override
    String describe(Object address) {
        return (address instanceof InetSocketAddress inet) ? Addresses.describe(inet)
                : Addresses.describe((NetAddress) address);
    }

    // ---- accept

    @Override
    boolean permits(SocketChannel accepted) {
        try {
            return this.factory.settings().accessPolicy().permits((InetSocketAddress) accepted.getRemoteAddress());
        }
        catch (IOException ex) {
            // The peer is gone already: nothing to deliver.
            return false;
        }
    }

    // ---- options

    public CompletableFuture<Void> setExtraOptions(TCPExtraOptions options) {
        return Callbacks.future(callback -> setExtraOptions(options, callback));
    }

    public void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback) {
        setExtraOptions(options, new TCPExtraOptions()::merge, this::applyOnLoop, callback);
    }

    private void applyOnLoop(TCPExtraOptions update, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        ServerSocketChannel listening = listeningChannel();
        if (listening != null) {
            try {
                applyToListening(listening, update);
            }
            catch (IOException | RuntimeException ex) {
                fail(callback, Errors.io("setExtraOptions " + update, ex));
                return;
            }
        }
        this.options = new TCPExtraOptions().merge(this.options).merge(update);
        applyToConnections(update, callback);
    }

    @Override
    Map<String, Object> readOptions() {
        ServerSocketChannel listening = listeningChannel();
        return (listening != null && listening.isOpen()) ? ExtraOptionsSupport.readBack(listening) : Map.of();
    }

}
