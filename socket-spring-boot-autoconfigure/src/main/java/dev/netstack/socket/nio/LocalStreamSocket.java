package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketMessageInfo;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPExtraOptions;

/**
 * The engine side of a local (Unix domain) stream: a {@link NioStreamSocket}, so the send, read, framing and close
 * path is TCP's, with paths for addresses. A client ({@link NioLocalSocket}) binds and connects it; a
 * {@link LocalServerChannel} adopts an accepted channel into one ({@link NioLocalSocketConnection}).
 *
 * <p>The application holds the facade, since a path-addressed API cannot share {@code NetSocket}'s
 * {@code getLocalAddress}; events and meters see this object, whose {@link #apiSocket()} is the facade.
 */
final class LocalStreamSocket extends NioStreamSocket {

    private static final System.Logger logger = Loggers.of(LocalStreamSocket.class);

    /** The server that accepted this connection, or {@code null} for a client. */
    private final LocalServerChannel server;

    private Object facade;

    /** The path of the socket file the stream runs through, for 'message' events. Loop only. */
    private String path;

    /** The file that bind() made, removed on close. Loop only. */
    private Path boundFile;

    // Loop only: the connect in progress.
    private AsyncCallback<Void> connectCallback;

    private UnixDomainSocketAddress connectTarget;

    private long connectStartedNanos;

    private LoopTimer connectTimer;

    LocalStreamSocket(long id, EventLoop loop, NioSocketFactory factory, TCPExtraOptions options,
            LocalServerChannel server) {
        super(id, loop, factory, Protocol.LOCAL, options);
        this.server = server;
    }

    void facade(Object facade) {
        this.facade = facade;
    }

    @Override
    public Protocol protocol() {
        return Protocol.LOCAL;
    }

    @Override
    public Object apiSocket() {
        return this.facade;
    }

    @Override
    public NioSocket server() {
        return this.server;
    }

    @Override
    String kind() {
        return (this.server != null) ? "local connection" : "local socket";
    }

    @Override
    Level closeLogLevel() {
        // As for TCP connections: a server may end thousands a second, and its meters count them.
        return (this.server != null) ? Level.DEBUG : Level.INFO;
    }

    /** A local socket's 'message' is {@link LocalSocket#MESSAGE}; only a client emits 'connect'. */
    @Override
    boolean emits(SocketEventType<?> type) {
        return type == LocalSocket.MESSAGE || type == SocketEventType.CLOSE || type == SocketEventType.ERROR
                || (type == SocketEventType.CONNECT && this.server == null);
    }

    @Override
    void emitMessage(byte[] bytes) {
        emit(LocalSocket.MESSAGE, new LocalSocketMessageInfo(bytes, this.path));
    }

    /** A connection reads once something receives what it reads, as a TCP connection does. */
    @Override
    boolean wantsToRead() {
        return this.server == null || hasListeners(LocalSocket.MESSAGE)
                || this.factory.dispatcher().observesMessages();
    }

    @Override
    void adoptAddresses(SocketChannel accepted, AcceptedAddresses addresses) throws IOException {
        // The accepted end runs through the server's file; a peer that did not bind has no path of its own.
        this.path = this.server.path();
        bound(this.server.localAddress());
        String peer = ((UnixDomainSocketAddress) accepted.getRemoteAddress()).getPath().toString();
        established(peer.isEmpty() ? null : LocalPaths.netAddress(peer));
    }

    @Override
    BusinessError notConnected() {
        return new BusinessError(BusinessError.NOT_CONNECTED, (this.connectCallback != null)
                ? "local socket is still connecting to '" + this.path + "': send() after connect() has completed"
                : "local socket is not connected: call connect() before send()");
    }

    // ---- bind

    /**
     * Loop only: opens the channel and binds it to a path, which creates the socket file.
     * @param address the path
     * @param callback receives the result
     */
    void bindOnLoop(UnixDomainSocketAddress address, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (this.connectCallback != null || hasState(BOUND) || hasState(CONNECTED)) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "local socket is already bound or connected; bind() must come first, once"));
            return;
        }
        try {
            StreamOptions.openChannel(this, StandardProtocolFamily.UNIX);
            this.channel.bind(address);
        }
        catch (IOException | RuntimeException ex) {
            releaseChannel();
            fail(callback, Errors.io("bind to '" + address.getPath() + "'", ex));
            return;
        }
        this.boundFile = address.getPath();
        bound(LocalPaths.netAddress(address.getPath().toString()));
        logger.log(Level.INFO, () -> this + " bound to " + address.getPath());
        succeed(callback, null);
    }

    // ---- connect

    /**
     * Loop only: connects to a server's socket file under a loop timer.
     * @param target the path
     * @param timeoutNanos how long to wait
     * @param callback receives the result
     */
    void connectOnLoop(UnixDomainSocketAddress target, long timeoutNanos, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (hasState(CONNECTED) || this.connectCallback != null) {
            fail(callback, new BusinessError(hasState(CONNECTED) ? BusinessError.ALREADY_CONNECTED
                    : BusinessError.ALREADY_IN_PROGRESS, "local socket is connected or connecting to '" + this.path
                            + "' already"));
            return;
        }
        this.connectCallback = callback;
        this.connectTarget = target;
        this.path = target.getPath().toString();
        this.connectStartedNanos = System.nanoTime();
        boolean connected;
        try {
            if (this.channel == null) {
                StreamOptions.openChannel(this, StandardProtocolFamily.UNIX);
            }
            connected = this.channel.connect(target);
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(Errors.io("connect to '" + this.path + "'", ex));
            return;
        }
        if (connected) {
            connected();
            return;
        }
        this.connectTimer = this.loop.schedule(timeoutNanos, TimeUnit.NANOSECONDS, () -> {
            this.connectTimer = null;
            connectFailed(new BusinessError(BusinessError.TIMED_OUT, "connect to '" + this.path + "' timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
        });
        updateInterest();
    }

    @Override
    boolean connecting() {
        return this.connectCallback != null;
    }

    @Override
    void connectReady() {
        try {
            if (this.channel.finishConnect()) {
                connected();
            }
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(Errors.io("connect to '" + this.path + "'", ex));
        }
    }

    private void connected() {
        AsyncCallback<Void> callback = endConnect(null);
        if (!hasState(BOUND)) {
            // A client that did not bind has no path of its own; monitoring shows the server's path as its peer.
            addState(BOUND);
        }
        established(LocalPaths.netAddress(this.path));
        logger.log(Level.DEBUG, () -> this + " connected to " + this.path);
        emit(SocketEventType.CONNECT, null);
        succeed(callback, null);
    }

    /**
     * Ends a failed connect: the channel is released, so the socket may connect again, as a TCP socket may.
     */
    private void connectFailed(BusinessError error) {
        AsyncCallback<Void> callback = endConnect(error);
        // The JDK closes a channel whose connect failed: a bound socket loses its file with it.
        releaseChannel();
        LocalPaths.removeSocketFile(this.boundFile);
        this.boundFile = null;
        unbound();
        logger.log(Level.DEBUG, () -> this + ": " + error.getMessage());
        fail(callback, error);
    }

    @Override
    void abortConnect() {
        BusinessError error = new BusinessError(BusinessError.NOT_BOUND,
                "local socket was closed while connecting to '" + this.path + "'");
        fail(endConnect(error), error);
    }

    private AsyncCallback<Void> endConnect(BusinessError error) {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, error);
        return callback;
    }

    // ---- close

    @Override
    void closeChannel() {
        super.closeChannel();
        // The file that bind() made goes with the socket, as a server's does.
        LocalPaths.removeSocketFile(this.boundFile);
        this.boundFile = null;
    }

}
