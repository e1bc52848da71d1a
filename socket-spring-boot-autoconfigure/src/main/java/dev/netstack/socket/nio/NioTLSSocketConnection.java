package dev.netstack.socket.nio;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.tls.TlsFailures;

/**
 * A {@link TLSSocketConnection}: a connection that a {@link NioTLSSocketServer} accepted, which reaches the server's
 * 'connect' callbacks once its handshake has finished. It reads during the handshake whatever its consumers; after it,
 * only once it has a consumer, as a TCP connection. A connection whose handshake fails or times out is closed and
 * never delivered: the observers hear of the handshake, and no 'close' is emitted for it.
 */
final class NioTLSSocketConnection extends NioAcceptedSocket implements TLSSocketConnection, TlsHandshakeListener {

    private final NioTLSSocketServer server;

    NioTLSSocketConnection(long id, EventLoop loop, NioSocketFactory factory, NioTLSSocketServer server,
            int clientId) {
        super(id, loop, factory, server, clientId);
        this.server = server;
    }

    @Override
    public Protocol protocol() {
        return Protocol.TLS;
    }

    @Override
    String kind() {
        return "TLS connection";
    }

    @Override
    BusinessError systemError(BusinessError error) {
        return TlsFailures.fromTransport(error);
    }

    @Override
    public SocketStateBase state() {
        return TlsCalls.state(super.state(), this);
    }

    /** The handshake reads whether or not anyone consumes messages yet. */
    @Override
    boolean wantsToRead() {
        return tlsSession() == null || super.wantsToRead();
    }

    @Override
    public void tlsEstablished() {
        // Inside the read that finished the handshake: plaintext that came with it follows these callbacks, so a
        // 'message' callback registered in them receives it.
        this.server.connectionSecured(this);
        updateInterest();
    }

    /** Never delivered: the failure is the observers' and the meters' to see. */
    @Override
    public void tlsFailed(BusinessError error) {
        connectionFailed(error, false, false);
    }

    @Override
    boolean reportsClose() {
        return tlsSession() != null;
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
    public CompletableFuture<X509CertRawData> getRemoteCertificate() {
        return Callbacks.future(this::getRemoteCertificate);
    }

    @Override
    public void getRemoteCertificate(AsyncCallback<X509CertRawData> callback) {
        TlsCalls.remoteCertificate(this, callback);
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
