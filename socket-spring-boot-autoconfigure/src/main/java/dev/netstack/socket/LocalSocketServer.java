package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A local (Unix domain stream) server: the reference's {@code LocalSocketServer} (API 11, 12, 20), made by
 * {@link SocketFactory#constructLocalSocketServerInstance()}. It listens on a path and hands every accepted
 * connection to its {@link #CONNECT 'connect'} callbacks as a {@link LocalSocketConnection}, on the same accept path
 * as {@link TCPSocketServer}: connections spread over the event loops, at most {@code socket.server.max-connections}
 * open, accept failures reported and backed off.
 *
 * <p>Events: {@link #CONNECT 'connect'} with the new connection, and {@link SocketEventType#ERROR 'error'}.
 */
public interface LocalSocketServer {

    /** A connection was accepted; the payload is the connection. */
    SocketEventType<LocalSocketConnection> CONNECT = SocketEventType.serverConnect();

    /**
     * Creates the socket file and listens. A file at the path fails with 2301098, unless it is a socket file that
     * nobody listens on (left by a process that ended), which is replaced: a regular file is never deleted. Fails
     * with 401 for an empty path or one longer than 106 bytes, 2301002 when the directory does not exist, 2301013
     * without permission, 2303122 while listening already, 2303109 after {@code close()}. The file gets the
     * permissions that the process's umask gives.
     * @param address the path
     * @return completes when the server accepts connections
     */
    CompletableFuture<Void> listen(LocalAddress address);

    /**
     * Listens, as {@link #listen(LocalAddress)}.
     * @param address the path
     * @param callback receives the result
     */
    void listen(LocalAddress address, AsyncCallback<Void> callback);

    /**
     * Stops listening and removes the socket file (API 20). Accepted connections stay open. Idempotent.
     * @return completes when the file is gone
     */
    CompletableFuture<Void> close();

    /**
     * Stops listening, as {@link #close()}.
     * @param callback receives the result
     */
    void close(AsyncCallback<Void> callback);

    /**
     * Returns the state: {@code isBound} while listening, {@code isConnected} while one of its connections is open,
     * {@code isClose} after {@code close()}.
     * @return completes with the state
     */
    CompletableFuture<SocketStateBase> getState();

    /**
     * Returns the state, as {@link #getState()}.
     * @param callback receives the state
     */
    void getState(AsyncCallback<SocketStateBase> callback);

    /**
     * Sets options, also before {@code listen}: the receive buffer applies to the listening channel, and every set
     * option to each current and later connection; {@code reuseAddress} is ignored. Fails with 401 for a negative
     * value and 2301009 after {@code close()}.
     * @param options the options; only set fields are applied
     * @return completes when applied
     */
    CompletableFuture<Void> setExtraOptions(ExtraOptions options);

    /**
     * Sets options, as {@link #setExtraOptions(ExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(ExtraOptions options, AsyncCallback<Void> callback);

    /**
     * Returns the options of the listening channel, read back from it, with the {@code socketTimeout} that
     * connections get. Fails with 2301009 before {@code listen} and after {@code close()}.
     * @return completes with the options
     */
    CompletableFuture<ExtraOptions> getExtraOptions();

    /**
     * Returns the options, as {@link #getExtraOptions()}.
     * @param callback receives the options
     */
    void getExtraOptions(AsyncCallback<ExtraOptions> callback);

    /**
     * Returns the path the server listens on. Fails with 2301009 before {@code listen} and after {@code close()}.
     * @return completes with the path
     */
    CompletableFuture<String> getLocalAddress();

    /**
     * Returns the path, as {@link #getLocalAddress()}.
     * @param callback receives the path
     */
    void getLocalAddress(AsyncCallback<String> callback);

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
