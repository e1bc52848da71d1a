package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A TLS server: the reference's {@code TLSSocketServer} (API 10; {@code close} API 20), on the JDK's
 * {@code SSLEngine}.
 *
 * <p>Events: {@link #CONNECT 'connect'}, with a {@link TLSSocketConnection} whose handshake has finished, and
 * {@link SocketEventType#ERROR 'error'}; any other type is 401. A client whose handshake fails (2303504, 2303505) or
 * does not finish in time (2303210) never reaches 'connect'.
 */
public interface TLSSocketServer {

    /** A client connected and finished its handshake; the payload is the new connection. */
    SocketEventType<TLSSocketConnection> CONNECT = SocketEventType.serverConnect();

    /**
     * Binds, listens and accepts. {@code options.secureOptions()} must hold the server's {@code cert} and
     * {@code key}; {@code isBidirectionalAuthentication} makes every client present a certificate that leads to
     * {@code ca}; {@code ALPNProtocols} lists the protocols the server accepts, its own preference first;
     * {@code timeout} bounds each client's handshake. Port 0 picks a free port. Fails with 401 for bad options (the
     * message names the field), 2303198 when the address is in use, 2303199 when it is not available, 2303109 after
     * close, 2303122 while already listening.
     * @param options the local address, the secure options, ALPN, validation and handshake timeout
     * @return completes when the server listens
     */
    CompletableFuture<Void> listen(TLSConnectOptions options);

    /**
     * Listens, as {@link #listen(TLSConnectOptions)}.
     * @param options the local address, the secure options, ALPN, validation and handshake timeout
     * @param callback receives the result
     */
    void listen(TLSConnectOptions options, AsyncCallback<Void> callback);

    /**
     * Stops listening and frees the port; the connections already accepted stay open. Idempotent.
     * @return completes when the listening socket is closed
     */
    CompletableFuture<Void> close();

    /**
     * Stops listening, as {@link #close()}.
     * @param callback receives the result
     */
    void close(AsyncCallback<Void> callback);

    /**
     * Returns the state: {@code isBound} while listening, {@code isConnected} while one of this server's connections
     * is open, {@code isClose} after close.
     * @return completes with the state
     */
    CompletableFuture<SocketStateBase> getState();

    /**
     * Returns the state, as {@link #getState()}.
     * @param callback receives the state
     */
    void getState(AsyncCallback<SocketStateBase> callback);

    /**
     * Applies TCP options, also before {@code listen}: to the listening socket where they matter there
     * ({@code reuseAddress}, {@code receiveBufferSize}) and to every current and later connection. 401 for a bad
     * value.
     * @param options the options
     * @return completes when every set option is applied
     */
    CompletableFuture<Void> setExtraOptions(TCPExtraOptions options);

    /**
     * Applies TCP options, as {@link #setExtraOptions(TCPExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback);

    /**
     * Returns the address the server listens on; with port 0 at listen, this tells the port. Fails with 2301009
     * before listen and after close.
     * @return completes with the address
     */
    CompletableFuture<NetAddress> getLocalAddress();

    /**
     * Returns the local address, as {@link #getLocalAddress()}.
     * @param callback receives the address
     */
    void getLocalAddress(AsyncCallback<NetAddress> callback);

    /**
     * Returns the server's certificate, the first of {@code cert}, as DER. Fails with 2303501 before listen.
     * @return completes with the certificate
     */
    CompletableFuture<X509CertRawData> getCertificate();

    /**
     * Returns the server's certificate, as {@link #getCertificate()}.
     * @param callback receives the certificate
     */
    void getCertificate(AsyncCallback<X509CertRawData> callback);

    /**
     * Returns the highest protocol version the server accepts, e.g. {@code "TLSv1.3"}, as the reference does (each
     * connection may negotiate a lower one). Fails with 2303501 before listen.
     * @return completes with the version
     */
    CompletableFuture<String> getProtocol();

    /**
     * Returns the highest protocol version, as {@link #getProtocol()}.
     * @param callback receives the version
     */
    void getProtocol(AsyncCallback<String> callback);

    /**
     * Registers a callback for {@link #CONNECT} or {@link SocketEventType#ERROR}. Several callbacks may listen to
     * one type; each runs once per event, in registration order; registering the same callback twice has no extra
     * effect.
     * @param type the event type
     * @param callback the callback
     * @param <T> the payload type
     * @throws BusinessError 401 when the type is {@code null} or not one of the two, or the callback is {@code null}
     */
    <T> void on(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes one callback of an event type; removing one that is not registered does nothing.
     * @param type the event type
     * @param callback the callback given to {@link #on}
     * @param <T> the payload type
     * @throws BusinessError 401 when the type is {@code null} or not one of the two, or the callback is {@code null}
     */
    <T> void off(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes every callback of an event type.
     * @param type the event type
     * @throws BusinessError 401 when the type is {@code null} or not one of the two
     */
    void off(SocketEventType<?> type);

}
