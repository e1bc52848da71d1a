package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A TCP server: the reference's {@code TCPSocketServer} (API 10), made by
 * {@link SocketFactory#constructTCPSocketServerInstance()}. It listens on one address and hands every accepted
 * connection to its {@link #CONNECT 'connect'} callbacks as a {@link TCPSocketConnection}.
 *
 * <p>A connection is handed over on its own event loop before anything is read from it, and it reads only once it
 * has a consumer (a {@link SocketEventType#MESSAGE 'message'} callback, or the factory's observers such as Spring's
 * application events): bytes that arrive before that wait in the kernel, so none is lost and none is read too
 * early. Connections spread over the factory's event loops. At most {@code socket.server.max-connections} are open
 * per server; past it, and for a peer that the access policy denies, a new connection is reset at once and counted,
 * never delivered.
 *
 * <p>Events: {@link #CONNECT 'connect'} with the new connection, and {@link SocketEventType#ERROR 'error'} (e.g.
 * 2303124 when no descriptor is left for an accepted connection: the server backs off briefly and accepts again).
 */
public interface TCPSocketServer {

    /** A connection was accepted; the payload is the connection. */
    SocketEventType<TCPSocketConnection> CONNECT = SocketEventType.serverConnect();

    /**
     * Binds and listens. Port 0 picks a free port ({@link #getLocalAddress()} tells which). Fails with 401 for a bad
     * address, 201 when the access policy denies it, {@value BusinessError#SERVER_ADDRESS_IN_USE} when the address
     * is in use (never a silent move to another port), {@value BusinessError#SERVER_ADDRESS_NOT_AVAILABLE} when it
     * is not one of this host's, {@value BusinessError#SERVER_ALREADY_LISTENING} while listening already, and
     * {@value BusinessError#SERVER_CLOSED} after {@code close()}.
     * @param address the local address: an IP literal of its family, {@code localhost}, or a wildcard
     * @return completes when the server accepts connections
     */
    CompletableFuture<Void> listen(NetAddress address);

    /**
     * Binds and listens, as {@link #listen(NetAddress)}.
     * @param address the local address
     * @param callback receives the result
     */
    void listen(NetAddress address, AsyncCallback<Void> callback);

    /**
     * Stops listening and frees the port (API 20). The connections already accepted stay open; close them one by
     * one, or close the factory. Idempotent; succeeds on a server that never listened.
     * @return completes when the port is free
     */
    CompletableFuture<Void> close();

    /**
     * Stops listening, as {@link #close()}.
     * @param callback receives the result
     */
    void close(AsyncCallback<Void> callback);

    /**
     * Returns the state: {@code isBound} while listening, {@code isConnected} while one of this server's
     * connections is open, {@code isClose} after {@code close()}.
     * @return completes with the state
     */
    CompletableFuture<SocketStateBase> getState();

    /**
     * Returns the state, as {@link #getState()}.
     * @param callback receives the state
     */
    void getState(AsyncCallback<SocketStateBase> callback);

    /**
     * Sets options, also before {@code listen}: {@code reuseAddress} and {@code receiveBufferSize} apply to the
     * listening channel (and so to connections accepted from it), and every set option applies to each current and
     * later connection. Fails with 401 for a bad value and 2301009 after {@code close()}.
     * @param options the options; only set fields are applied
     * @return completes when the options are applied to the listening channel and the open connections
     */
    CompletableFuture<Void> setExtraOptions(TCPExtraOptions options);

    /**
     * Sets options, as {@link #setExtraOptions(TCPExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback);

    /**
     * Returns the address the server listens on; with port 0 at listen, this tells the port the system picked.
     * Fails with 2301009 before {@code listen} and after {@code close()}.
     * @return completes with the address
     */
    CompletableFuture<NetAddress> getLocalAddress();

    /**
     * Returns the address, as {@link #getLocalAddress()}.
     * @param callback receives the address
     */
    void getLocalAddress(AsyncCallback<NetAddress> callback);

    /**
     * Registers a callback: {@link #CONNECT} or {@link SocketEventType#ERROR}.
     * @param type the event type
     * @param callback the callback
     * @param <T> the payload type
     * @throws BusinessError 401 for another type, a {@code null} type or a {@code null} callback
     */
    <T> void on(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes one callback of an event type.
     * @param type the event type
     * @param callback the callback given to {@link #on}
     * @param <T> the payload type
     * @throws BusinessError 401 for another type, a {@code null} type or a {@code null} callback
     */
    <T> void off(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes every callback of an event type.
     * @param type the event type
     * @throws BusinessError 401 for another type or a {@code null} type
     */
    void off(SocketEventType<?> type);

}
