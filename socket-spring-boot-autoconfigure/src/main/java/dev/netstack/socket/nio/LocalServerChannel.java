package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPExtraOptions;

/**
 * The engine side of a {@link LocalSocketServer}: the shared accept path of {@link NioServerSocket} on a Unix domain
 * {@link ServerSocketChannel}. It replaces only a stale socket file at its path, and removes its file on close.
 */
final class LocalServerChannel extends NioServerSocket<LocalStreamSocket> {

    private Object facade;

    /** The options of later connections; replaced whole, so a connection's loop reads a consistent value. */
    private volatile TCPExtraOptions options = new TCPExtraOptions();

    /** The path listened on; kept after close for messages. */
    private volatile String path;

    /** The file to remove on close. Loop only. */
    private Path file;

    /** The file while listening, for other servers' listen. */
    private volatile Path listeningFile;

    LocalServerChannel(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.LOCAL);
    }

    void facade(Object facade) {
        this.facade = facade;
    }

    @Override
    public Object apiSocket() {
        return this.facade;
    }

    String path() {
        return this.path;
    }

    @Override
    String kind() {
        return "local server" + ((name() != null) ? " '" + name() + "'" : "");
    }

    /** As the reference: a local server's failures are 2301000 + errno, also for listen and accept. */
    @Override
    int serverCode(int code) {
        return code;
    }

    // ---- listen

    @Override
    ServerSocketChannel openServerChannel(SocketAddress local) throws IOException {
        UnixDomainSocketAddress unix = (UnixDomainSocketAddress) local;
        if (this.factory.localServerOn(unix.getPath())) {
            // Known without a probe, which the live server would see as a connection.
            throw new BusinessError(BusinessError.ADDRESS_IN_USE, "a server of this process listens on '"
                    + unix.getPath() + "' already");
        }
        LocalPaths.clearStaleSocket(unix);
        ServerSocketChannel opened = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            if (this.options.getReceiveBufferSize() != null) {
                // Inherited by accepted connections: set before they arrive.
                opened.setOption(StandardSocketOptions.SO_RCVBUF, this.options.getReceiveBufferSize());
            }
        }
        catch (IOException | RuntimeException ex) {
            Channels.closeQuietly(opened);
            throw ex;
        }
        return opened;
    }

    @Override
    void listening(ServerSocketChannel listening) {
        try {
            this.file = ((UnixDomainSocketAddress) listening.getLocalAddress()).getPath();
        }
        catch (IOException ex) {
            // Bound a moment ago: the channel knows its address; keep what listen() asked for otherwise.
            this.file = Path.of(this.path);
        }
        bound(LocalPaths.netAddress(this.file.toString()));
        this.listeningFile = this.file;
    }

    /**
     * Tells whether this server listens on a file, from any thread.
     * @param path the file
     * @return whether it listens there now
     */
    boolean listensOn(Path path) {
        Path listening = this.listeningFile;
        return listening != null && listening.equals(path);
    }

    /**
     * Loop only: listens on a path.
     * @param address the path
     * @param callback receives the result
     */
    void listen(UnixDomainSocketAddress address, AsyncCallback<Void> callback) {
        if (!isCloseRequested() && !isClosed() && listeningChannel() == null) {
            this.path = address.getPath().toString();
        }
        listenOnLoop(address, callback);
    }

    @Override
    Object localAddressObject() {
        return this.path;
    }

    @Override
    String describe(Object address) {
        return "'" + ((address instanceof UnixDomainSocketAddress unix) ? unix.getPath() : address) + "'";
    }

    // ---- accept

    /** The access policy names IP peers; a path's permissions decide who connects. */
    @Override
    boolean permits(SocketChannel accepted) {
        return true;
    }

    @Override
    LocalStreamSocket newConnection(EventLoop target) {
        return this.factory.registerLocalConnection(this, target);
    }

    @Override
    SocketEventType<?> connectEventType() {
        return LocalSocketServer.CONNECT;
    }

    TCPExtraOptions connectionOptions() {
        return this.options;
    }

    // ---- options

    /**
     * Loop only: applies options to the listening channel and to every open connection, and keeps them for later
     * connections.
     * @param update the options, checked
     * @param callback receives the result once every connection has applied them
     */
    void applyOnLoop(ExtraOptions update, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed()) {
            fail(callback, Errors.closed());
            return;
        }
        TCPExtraOptions stream = LocalPaths.streamOptions(update);
        ServerSocketChannel listening = listeningChannel();
        if (listening != null && stream.getReceiveBufferSize() != null) {
            try {
                listening.setOption(StandardSocketOptions.SO_RCVBUF, stream.getReceiveBufferSize());
            }
            catch (IOException | RuntimeException ex) {
                fail(callback, Errors.io("setExtraOptions " + update, ex));
                return;
            }
        }
        this.options = this.options.merge(stream);
        applyToConnections(stream, callback);
    }

    @Override
    Map<String, Object> readOptions() {
        ServerSocketChannel listening = listeningChannel();
        if (listening == null || !listening.isOpen()) {
            return Map.of();
        }
        Map<String, Object> effective = ExtraOptionsSupport.readBack(listening);
        Integer timeout = this.options.getSocketTimeout();
        effective.put("socketTimeout", (timeout != null && timeout > 0) ? timeout.longValue()
                : TimeUnit.NANOSECONDS.toMillis(this.factory.settings().sendTimeout().toNanos()));
        return effective;
    }

    // ---- close

    @Override
    void closeChannel() {
        super.closeChannel();
        this.listeningFile = null;
        LocalPaths.removeSocketFile(this.file);
        this.file = null;
    }

}
