package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link UDPSocket} and {@link TCPSocket} have in common: close, state, local address and events.
 *
 * <p>Every asynchronous method comes in the seed's two forms: one returns a {@link CompletableFuture}, the other
 * takes an {@link AsyncCallback}. Either receives a {@link BusinessError} on failure; a callback form never throws,
 * except for a {@code null} callback (401), which has nowhere else to go. Results and events are delivered on the
 * socket's event loop thread: callbacks and dependent future stages that run there must not block.
 */
public interface NetSocket {

    /**
     * Closes the socket. Sends already accepted reach the kernel first (bounded by {@code socketTimeout}); then the
     * channel is closed and {@link SocketEventType#CLOSE 'close'} fires once. No 'message' is delivered after the
     * call, and when 'close' fires and the result arrives the local port is free again. Idempotent, and succeeds on a
     * socket that was never bound.
     * @return completes when the socket is closed
     */
    CompletableFuture<Void> close();

    /**
     * Closes the socket, as {@link #close()}.
     * @param callback receives the result
     */
    void close(AsyncCallback<Void> callback);

    /**
     * Returns the state of the socket. Works in every state, also after close.
     * @return completes with the state
     */
    CompletableFuture<SocketStateBase> getState();

    /**
     * Returns the state of the socket, as {@link #getState()}.
     * @param callback receives the state
     */
    void getState(AsyncCallback<SocketStateBase> callback);

    /**
     * Returns the local address the socket is bound to; with port 0 at bind, this tells the port the system picked.
     * Fails with 2301009 before bind (or connect) and after close.
     * @return completes with the address, family and port
     */
    CompletableFuture<NetAddress> getLocalAddress();

    /**
     * Returns the local address, as {@link #getLocalAddress()}.
     * @param callback receives the address
     */
    void getLocalAddress(AsyncCallback<NetAddress> callback);

    /**
     * Registers a callback for an event type. Several callbacks may listen to one type; each runs once per event,
     * in registration order; registering the same callback twice has no extra effect.
     * @param type the event type
     * @param callback the callback
     * @param <T> the payload type
     * @throws BusinessError 401 when the type is {@code null} or not emitted by this kind of socket, or the
     * callback is {@code null}
     */
    <T> void on(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes one callback of an event type; removing one that is not registered does nothing.
     * @param type the event type
     * @param callback the callback given to {@link #on}
     * @param <T> the payload type
     * @throws BusinessError 401 when the type is {@code null} or not emitted by this kind of socket, or the
     * callback is {@code null}
     */
    <T> void off(SocketEventType<T> type, Callback<T> callback);

    /**
     * Removes every callback of an event type.
     * @param type the event type
     * @throws BusinessError 401 when the type is {@code null} or not emitted by this kind of socket
     */
    void off(SocketEventType<?> type);

}
