package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.tls.TlsConfig;
import dev.netstack.socket.nio.tls.TlsFailures;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

/**
 * A {@link TLSSocket}: a {@link NioClientSocket} whose connect goes on with the TLS handshake on its
 * {@link TlsLayer}, both within the connect's timeout. 'connect' fires after the handshake.
 *
 * <p>A socket made by the upgrade of a {@code TCPSocket} receives that socket's connection on its loop
 * ({@link NioTCPSocket#upgradeTo}); its connect runs the handshake only.
 */
final class NioTLSSocket extends NioClientSocket implements TLSSocket, TlsHandshakeListener {

    private static final System.Logger logger = Loggers.of(NioTLSSocket.class);

    /** Whether the connection comes from an upgraded TCP socket, rather than from this socket's own connect. */
    private final boolean upgrade;

    // Loop only.
    private AsyncCallback<Void> handshakeCallback;

    /** The configuration of the connect in progress, until its TCP connection is established. */
    private TlsConfig pending;

    private long pendingTimeoutNanos;

    /** This side's certificate, from the secure options of the last connect; read by getCertificate. */
    private volatile X509CertRawData certificate;

    NioTLSSocket(long id, EventLoop loop, NioSocketFactory factory, boolean upgrade) {
        super(id, loop, factory, Protocol.TLS);
        this.upgrade = upgrade;
    }

    @Override
    public Protocol protocol() {
        return Protocol.TLS;
    }

    @Override
    String kind() {
        return "TLS socket";
    }

    @Override
    BusinessError systemError(BusinessError error) {
        return TlsFailures.fromTransport(error);
    }

    @Override
    public SocketStateBase state() {
        return TlsCalls.state(super.state(), this);
    }

    // ---- connect

    @Override
    public CompletableFuture<Void> connect(TLSConnectOptions options) {
        return Callbacks.future(callback -> connect(options, callback));
    }

    @Override
    public void connect(TLSConnectOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        TlsConfig config;
        try {
            // Every option is checked here, on the caller's thread: a bad one fails before any packet leaves.
            config = TlsConfig.client(options, this.factory.settings().tlsDefaults());
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        long timeoutNanos = (config.timeoutMillis() > 0) ? TimeUnit.MILLISECONDS.toNanos(config.timeoutMillis())
                : this.factory.settings().tlsHandshakeTimeout().toNanos();
        if (this.upgrade) {
            resolveThen(options.address(), callback, target -> handshakeOnly(target, config, timeoutNanos, callback));
            return;
        }
        resolveThen(options.address(), callback, target -> {
            if (!connecting() && this.handshakeCallback == null && !hasState(CONNECTED)) {
                // Kept for transportConnected(); a connect that is refused as a duplicate leaves the first one's.
                this.pending = config;
                this.pendingTimeoutNanos = timeoutNanos;
            }
            connectOnLoop(target, timeoutNanos, callback);
        });
    }

    /** The TCP connection is up: the handshake takes what is left of the connect's timeout. */
    @Override
    void transportConnected(AsyncCallback<Void> callback) {
        TlsConfig config = this.pending;
        this.pending = null;
        long left = this.pendingTimeoutNanos - (System.nanoTime() - this.connectStartedNanos);
        startHandshake(config, Math.max(0, left), callback);
    }

    /** The connect of an upgraded socket: its connection is there already, to the address it must name. */
    private void handshakeOnly(InetSocketAddress target, TlsConfig config, long timeoutNanos,
            AsyncCallback<Void> callback) {
        if (isCloseRequested() || isClosed() || this.closing) {
            fail(callback, Errors.closed());
            return;
        }
        if (this.tls != null) {
            fail(callback, new BusinessError(BusinessError.ALREADY_CONNECTED, "the TLS handshake with "
                    + Addresses.describe(remoteAddress()) + " has run already"));
            return;
        }
        NetAddress peer = remoteAddress();
        if (peer == null) {
            fail(callback, new BusinessError(BusinessError.TLS_SOCKET_NOT_CONNECTED,
                    "the upgraded TCP socket's connection ended before the handshake"));
            return;
        }
        if (!Addresses.toNetAddress(target).equals(peer)) {
            fail(callback, Errors.parameter("address " + Addresses.describe(target) + " is not the peer "
                    + Addresses.describe(peer) + " of the upgraded TCP socket"));
            return;
        }
        startHandshake(config, timeoutNanos, callback);
    }

    private void startHandshake(TlsConfig config, long timeoutNanos, AsyncCallback<Void> callback) {
        this.handshakeCallback = callback;
        this.certificate = config.certificate();
        TlsLayer.start(this, config, true, timeoutNanos);
    }

    @Override
    boolean wantsToRead() {
        return this.tls != null;
    }

    @Override
    public void tlsEstablished() {
        AsyncCallback<Void> callback = this.handshakeCallback;
        this.handshakeCallback = null;
        logger.log(Level.DEBUG, () -> this + " secured " + tlsSession().protocol() + " " + tlsSession().cipherSuite());
        emit(SocketEventType.CONNECT, null);
        succeed(callback, null);
    }

    /** The handshake failed: the connect fails with it, and the socket closes. */
    @Override
    public void tlsFailed(BusinessError error) {
        AsyncCallback<Void> callback = this.handshakeCallback;
        this.handshakeCallback = null;
        fail(callback, error);
        connectionFailed(error, false, false);
    }

    @Override
    void closeChannel() {
        super.closeChannel();
        AsyncCallback<Void> callback = this.handshakeCallback;
        this.handshakeCallback = null;
        this.pending = null;
        if (callback != null) {
            fail(callback, new BusinessError(BusinessError.NOT_BOUND,
                    "socket was closed during the TLS handshake with " + Addresses.describe(remoteAddress())));
        }
    }

    @Override
    BusinessError notConnected() {
        return TlsFailures.noSession("send()");
    }

    // ---- send and the session

    @Override
    public CompletableFuture<Void> send(Object data) {
        return Callbacks.future(callback -> send(data, callback));
    }

    @Override
    public void send(Object data, AsyncCallback<Void> callback) {
        TlsCalls.send(this, data, callback);
    }

    @Override
    public void getRemoteAddress(AsyncCallback<NetAddress> callback) {
        if (!isCloseRequested() && tlsSession() == null) {
            Callbacks.requireCallback(callback);
            fail(callback, TlsFailures.noSession("getRemoteAddress()"));
            return;
        }
        super.getRemoteAddress(callback);
    }

    @Override
    public CompletableFuture<X509CertRawData> getCertificate() {
        return Callbacks.future(this::getCertificate);
    }

    @Override
    public void getCertificate(AsyncCallback<X509CertRawData> callback) {
        X509CertRawData own = this.certificate;
        TlsCalls.session(this, "getCertificate()", session -> own,
                "the secure options of connect() hold no cert (or come from TLS defaults)", callback);
    }

    @Override
    public CompletableFuture<X509CertRawData> getRemoteCertificate() {
        return Callbacks.future(this::getRemoteCertificate);
    }

    @Override
    public void getRemoteCertificate(AsyncCallback<X509CertRawData> callback) {
        TlsCalls.remoteCertificate(this, callback);
    }

    @Override
    public CompletableFuture<String> getProtocol() {
        return Callbacks.future(this::getProtocol);
    }

    @Override
    public void getProtocol(AsyncCallback<String> callback) {
        TlsCalls.session(this, "getProtocol()", TlsSessionInfo::protocol, null, callback);
    }

    @Override
    public CompletableFuture<List<String>> getCipherSuite() {
        return Callbacks.future(this::getCipherSuite);
    }

    @Override
    public void getCipherSuite(AsyncCallback<List<String>> callback) {
        TlsCalls.cipherSuite(this, callback);
    }

    @Override
    public CompletableFuture<List<String>> getSignatureAlgorithms() {
        return Callbacks.future(this::getSignatureAlgorithms);
    }

    @Override
    public void getSignatureAlgorithms(AsyncCallback<List<String>> callback) {
        TlsCalls.signatureAlgorithms(this, callback);
    }

}
