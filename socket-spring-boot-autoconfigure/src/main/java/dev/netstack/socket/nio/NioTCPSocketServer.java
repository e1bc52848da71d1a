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
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSocketServer;

/**
 * A {@link TCPSocketServer} on the shared accept path of {@link NioServerSocket}.
 *
 * <p>Its options start as the factory's TCP defaults; {@code setExtraOptions} merges into them, applies what
 * matters to the listening channel, and applies the update to every open connection on that connection's loop.
 */
final class NioTCPSocketServer extends NioServerSocket<NioTCPSocketConnection> implements TCPSocketServer {

    /** The options of later connections; replaced whole, so a connection's loop reads a consistent value. */
    private volatile TCPExtraOptions options;

    NioTCPSocketServer(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TCP);
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

    @Override
    public CompletableFuture<Void> listen(NetAddress address) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        listen(address, Callbacks.completing(result));
        return result;
    }

    @Override
    public void listen(NetAddress address, AsyncCallback<Void> callback) {
        Callbacks.requireCallback(callback);
        if (isCloseRequested()) {
            fail(callback, new BusinessError(BusinessError.SERVER_CLOSED, "server is closed: make a new one"));
            return;
        }
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
        onLoop(() -> listenOnLoop(local, callback), callback);
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

    @Override
    NioTCPSocketConnection newConnection(EventLoop target) {
        return this.factory.registerConnection(this, target);
    }

    @Override
    SocketEventType<?> connectEventType() {
        return TCPSocketServer.CONNECT;
    }

    // ---- options

    @Override
    public CompletableFuture<Void> setExtraOptions(TCPExtraOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        setExtraOptions(options, Callbacks.completing(result));
        return result;
    }

    @Override
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
