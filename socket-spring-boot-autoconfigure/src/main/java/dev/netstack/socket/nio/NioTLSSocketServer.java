package dev.netstack.socket.nio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.tls.TlsConfig;
import dev.netstack.socket.nio.tls.TlsDefaults;
import dev.netstack.socket.nio.tls.TlsFailures;

/**
 * A {@link TLSSocketServer}: a {@link NioIpServerSocket} (the same accept path, connection limit and policy as TCP)
 * whose connections run their handshake on their own loop before its 'connect' callbacks receive them.
 *
 * <p>Secure options: those of {@code listen}; when it gives none, the server's own {@link TlsDefaults}
 * ({@link #tlsDefaults(TlsDefaults)}: a declared Spring server's SSL bundle), else the factory's
 * ({@code socket.tls.bundle}); with neither, {@code listen} fails with 401.
 */
public final class NioTLSSocketServer extends NioIpServerSocket<NioTLSSocketConnection> implements TLSSocketServer {

    private volatile TlsDefaults tlsDefaults;

    /** The configuration of the listen that succeeded; every connection's engine comes from it. */
    private volatile TlsConfig config;

    private volatile long handshakeTimeoutNanos;

    NioTLSSocketServer(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TLS);
    }

    /**
     * Gives this server its own source of secure options, used when {@code listen} gives none; before the
     * factory's ({@code socket.tls.bundle}). Call it before {@code listen}.
     * @param defaults the source, or {@code null} for the factory's
     */
    public void tlsDefaults(TlsDefaults defaults) {
        this.tlsDefaults = defaults;
    }

    // ---- listen

    @Override
    public CompletableFuture<Void> listen(TLSConnectOptions options) {
        return Callbacks.future(callback -> listen(options, callback));
    }

    @Override
    public void listen(TLSConnectOptions options, AsyncCallback<Void> callback) {
        if (refuseListen(callback)) {
            return;
        }
        TlsConfig checked;
        try {
            TlsDefaults own = this.tlsDefaults;
            checked = TlsConfig.server(options, (own != null) ? own : this.factory.settings().tlsDefaults());
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        long timeoutNanos = (checked.timeoutMillis() > 0) ? TimeUnit.MILLISECONDS.toNanos(checked.timeoutMillis())
                : this.factory.settings().tlsHandshakeTimeout().toNanos();
        listenAt(options.address(), callback, () -> {
            this.config = checked;
            this.handshakeTimeoutNanos = timeoutNanos;
        });
    }

    @Override
    NioTLSSocketConnection newConnection(EventLoop target) {
        return this.factory.registerConnection(this, target);
    }

    @Override
    SocketEventType<?> connectEventType() {
        return TLSSocketServer.CONNECT;
    }

    /** Not yet: the connection runs its handshake first, and {@link #connectionSecured} announces it. */
    @Override
    void adopted(NioTLSSocketConnection connection) {
        TlsLayer.start(connection, this.config, false, this.handshakeTimeoutNanos);
    }

    /**
     * On the connection's loop: its handshake finished; the 'connect' callbacks receive it.
     * @param connection the connection
     */
    void connectionSecured(NioTLSSocketConnection connection) {
        announce(connection);
    }

    // ---- what the listen configured

    @Override
    public CompletableFuture<X509CertRawData> getCertificate() {
        return Callbacks.future(this::getCertificate);
    }

    @Override
    public void getCertificate(AsyncCallback<X509CertRawData> callback) {
        listened(callback, "getCertificate()", TlsConfig::certificate,
                "the server's certificate comes from TLS defaults (an SSL bundle)");
    }

    @Override
    public CompletableFuture<String> getProtocol() {
        return Callbacks.future(this::getProtocol);
    }

    @Override
    public void getProtocol(AsyncCallback<String> callback) {
        listened(callback, "getProtocol()", TlsConfig::highestProtocol, null);
    }

    /**
     * Answers with a value of the listen's configuration: 2303501 before listen, 2303504 when it has no such value.
     */
    private <T> void listened(AsyncCallback<T> callback, String what, Function<TlsConfig, T> read, String none) {
        if (refuseCall(callback)) {
            return;
        }
        TlsConfig listening = this.config;
        T value = (listening != null) ? read.apply(listening) : null;
        if (listening == null) {
            fail(callback, TlsFailures.noSession(what + " of a server that does not listen"));
        }
        else if (value == null) {
            fail(callback, new BusinessError(BusinessError.TLS_CERTIFICATE_INVALID, what + ": " + none));
        }
        else {
            succeed(callback, value);
        }
    }

}
