package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A connection accepted by a {@link LocalSocketServer}: the reference's {@code LocalSocketConnection} (API 11).
 *
 * <p>It behaves as a connected {@link LocalSocket}, and reads only once it has a consumer (a
 * {@link LocalSocket#MESSAGE 'message'} callback, or the factory's observers); register one in the server's
 * {@link LocalSocketServer#CONNECT 'connect'} callback, which runs on this connection's event loop before anything
 * is read. Events: {@link LocalSocket#MESSAGE 'message'}, {@link SocketEventType#CLOSE 'close'} and
 * {@link SocketEventType#ERROR 'error'}.
 */
public interface LocalSocketConnection {

    /**
     * Returns the number of this connection: unique within its factory, from 1, never reused.
     * @return the client id
     */
    int clientId();

    /**
     * Sends bytes, as {@link LocalSocket#send(LocalSendOptions)}.
     * @param options the payload and its encoding
     * @return completes when every byte has been handed to the kernel
     */
    CompletableFuture<Void> send(LocalSendOptions options);

    /**
     * Sends bytes, as {@link #send(LocalSendOptions)}.
     * @param options the payload and its encoding
     * @param callback receives the result
     */
    void send(LocalSendOptions options, AsyncCallback<Void> callback);

    /**
     * Closes the connection after its accepted sends reach the kernel. Idempotent.
     * @return completes when closed
     */
    CompletableFuture<Void> close();

    /**
     * Closes the connection, as {@link #close()}.
     * @param callback receives the result
     */
    void close(AsyncCallback<Void> callback);

    /**
     * Returns the state. Works in every state, also after close.
     * @return completes with the state
     */
    CompletableFuture<SocketStateBase> getState();

    /**
     * Returns the state, as {@link #getState()}.
     * @param callback receives the state
     */
    void getState(AsyncCallback<SocketStateBase> callback);

    /**
     * Returns the path of the server's socket file, through which the connection runs. Fails with 2301009 after
     * close.
     * @return completes with the path
     */
    CompletableFuture<String> getLocalAddress();

    /**
     * Returns the path, as {@link #getLocalAddress()}.
     * @param callback receives the path
     */
    void getLocalAddress(AsyncCallback<String> callback);

    /**
     * Sets how the stream is cut into {@link LocalSocket#MESSAGE 'message'} events, as
     * {@link TCPSocket#setFraming(Framing)}: set it in the server's 'connect' callback.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

    /**
     * Registers a callback: {@link LocalSocket#MESSAGE}, {@link SocketEventType#CLOSE} or
     * {@link SocketEventType#ERROR}.
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
