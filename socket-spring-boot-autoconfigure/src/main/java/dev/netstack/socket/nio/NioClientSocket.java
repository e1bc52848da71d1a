package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPExtraOptions;

/**
 * A {@link NioStreamSocket} that binds and connects by itself: what a {@code TCPSocket} and a {@code TLSSocket}
 * share up to an established TCP connection, which {@link #transportConnected} hands to the kind.
 *
 * <p>The channel is opened by {@code bind} or {@code connect}, whichever comes first, with the factory's TCP
 * defaults applied before either. Connect waits for OP_CONNECT under a loop timer, never blocking the loop.
 */
abstract class NioClientSocket extends NioStreamSocket {

    private static final System.Logger logger = Loggers.of(NioClientSocket.class);

    // Loop only.
    private int family;

    private AsyncCallback<Void> connectCallback;

    private InetSocketAddress connectTarget;

    /** When the last connect started: a TLS socket's handshake takes what is left of its timeout. */
    long connectStartedNanos;

    private LoopTimer connectTimer;

    NioClientSocket(long id, EventLoop loop, NioSocketFactory factory, Protocol protocol) {
        super(id, loop, factory, protocol, factory.settings().tcpDefaults());
    }

    // ---- bind

    public CompletableFuture<Void> bind(NetAddress address) {
        return Callbacks.future(callback -> bind(address, callback));
    }

    public void bind(NetAddress address, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        bindThen(address, callback, local -> bindOnLoop(local, address.family(), callback));
    }

    private void bindOnLoop(InetSocketAddress local, int family, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (this.connectCallback != null) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT, "a connect to "
                    + Addresses.describe(this.connectTarget) + " is in progress; bind() must come before connect()"));
            return;
        }
        if (hasState(BOUND) || hasState(CONNECTED)) {
            fail(callback, new BusinessError(BusinessError.INVALID_ARGUMENT,
                    "socket is already bound to " + Addresses.describe(localAddress())));
            return;
        }
        try {
            openChannel(family);
            this.channel.bind(local);
        }
        catch (IOException | RuntimeException ex) {
            releaseChannel();
            fail(callback, systemError(Errors.io("bind to " + Addresses.describe(local), ex)));
            return;
        }
        InetSocketAddress boundTo = Channels.localSocketAddress(this.channel, local);
        bound(boundTo);
        logger.log(Level.INFO, () -> this + " bound to " + Addresses.describe(boundTo));
        succeed(callback, null);
    }

    // ---- connect

    /**
     * Loop only: opens the channel if bind did not, and connects it within the timeout.
     * @param target the resolved peer
     * @param timeoutNanos how long the TCP connect may take
     * @param callback receives a failure; {@link #transportConnected} takes over on success
     */
    void connectOnLoop(InetSocketAddress target, long timeoutNanos, AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (hasState(CONNECTED)) {
            fail(callback, new BusinessError(BusinessError.ALREADY_CONNECTED,
                    "socket is already connected to " + Addresses.describe(remoteAddress())));
            return;
        }
        if (this.connectCallback != null) {
            fail(callback, new BusinessError(BusinessError.ALREADY_IN_PROGRESS,
                    "a connect to " + Addresses.describe(this.connectTarget) + " is already in progress"));
            return;
        }
        int targetFamily = (target.getAddress() instanceof Inet6Address) ? NetAddress.IPV6 : NetAddress.IPV4;
        if (this.channel != null && targetFamily != this.family && !dualStack(targetFamily)) {
            fail(callback, Errors.parameter("destination " + Addresses.describe(target) + " is an "
                    + Addresses.familyName(targetFamily) + " address but the socket is bound to "
                    + Addresses.familyName(this.family) + " address " + Addresses.describe(localAddress())
                    + " (family " + this.family + ")"
                    + ((this.family == NetAddress.IPV6) ? "; bind to '::' to reach IPv4 peers as well" : "")));
            return;
        }
        BusinessError denied = this.factory.settings().accessPolicy().checkDestination(target);
        if (denied != null) {
            // Refused before any channel is opened or any packet leaves.
            fail(callback, denied);
            return;
        }
        this.connectCallback = callback;
        this.connectTarget = target;
        this.connectStartedNanos = System.nanoTime();
        boolean connected;
        try {
            if (this.channel == null) {
                openChannel(targetFamily);
            }
            connected = this.channel.connect(target);
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(systemError(Errors.io("connect to " + Addresses.describe(target), ex)));
            return;
        }
        if (connected) {
            connected();
            return;
        }
        this.connectTimer = this.loop.schedule(timeoutNanos, TimeUnit.NANOSECONDS,
                () -> connectTimedOut(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        updateInterest();
    }

    /**
     * Tells whether the bound channel reaches a destination of the other family: an IPv6 channel bound to the
     * wildcard is dual-stack (the JDK clears IPV6_V6ONLY), so it connects to an IPv4 peer at its IPv4-mapped address,
     * as a UDP socket bound to {@code ::} sends to one.
     */
    private boolean dualStack(int targetFamily) {
        NetAddress local = localAddress();
        return this.family == NetAddress.IPV6 && targetFamily == NetAddress.IPV4 && local != null
                && "::".equals(local.address());
    }

    @Override
    boolean connecting() {
        return this.connectCallback != null;
    }

    @Override
    void connectReady() {
        boolean connected;
        try {
            connected = this.channel.finishConnect();
        }
        catch (IOException | RuntimeException ex) {
            connectFailed(systemError(Errors.io("connect to " + Addresses.describe(this.connectTarget), ex)));
            return;
        }
        if (connected) {
            connected();
        }
    }

    private void connected() {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        InetSocketAddress target = this.connectTarget;
        // The kernel picked or confirmed the local address at connect: report the one it uses.
        bound(Channels.localSocketAddress(this.channel, target));
        established(Addresses.toNetAddress(target));
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, null);
        logger.log(Level.INFO, () -> this + " connected from " + Addresses.describe(localAddress()) + " to "
                + Addresses.describe(target));
        transportConnected(callback);
    }

    /**
     * Loop only: the TCP connection is established and reported; the kind finishes the connect.
     * @param callback the connect's callback
     */
    abstract void transportConnected(AsyncCallback<Void> callback);

    private void connectTimedOut(long millis) {
        this.connectTimer = null;
        connectFailed(systemError(new BusinessError(BusinessError.TIMED_OUT,
                "connect to " + Addresses.describe(this.connectTarget) + " timed out after " + millis + " ms")));
    }

    /**
     * Ends a connect attempt that failed: the channel is released (the JDK closes it on a failed connect anyway),
     * so the socket is unbound again but keeps its options, and may bind and connect again. The failure is
     * delivered once the channel's port is free, so that a bind to the same port from the callback succeeds.
     */
    private void connectFailed(BusinessError error) {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        releaseChannel();
        unbound();
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, error);
        logger.log(Level.DEBUG, () -> this + ": " + error.getMessage());
        this.loop.afterChannelsReleased(() -> fail(callback, error));
    }

    @Override
    void abortConnect() {
        this.loop.cancel(this.connectTimer);
        this.connectTimer = null;
        AsyncCallback<Void> callback = this.connectCallback;
        this.connectCallback = null;
        BusinessError error = new BusinessError(BusinessError.NOT_BOUND,
                "socket was closed while connecting to " + Addresses.describe(this.connectTarget));
        this.factory.dispatcher().connectCompleted(this, System.nanoTime() - this.connectStartedNanos, error);
        fail(callback, error);
    }

    @Override
    BusinessError notConnected() {
        return (this.connectCallback != null)
                ? new BusinessError(BusinessError.NOT_CONNECTED, "socket is still connecting to "
                        + Addresses.describe(this.connectTarget) + ": send() after connect() has completed")
                : super.notConnected();
    }

    // ---- options

    public CompletableFuture<Void> setExtraOptions(TCPExtraOptions options) {
        return Callbacks.future(callback -> setExtraOptions(options, callback));
    }

    public void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback) {
        setExtraOptions(options, new TCPExtraOptions()::merge, this::applyOnLoop, callback);
    }

    /** Opens the channel of an IP family, remembered for later connects. */
    private void openChannel(int family) throws IOException {
        StreamOptions.openChannel(this,
                (family == NetAddress.IPV4) ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        this.family = family;
    }

}
