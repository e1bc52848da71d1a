package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A local (Unix domain stream) socket: the reference's {@code LocalSocket} (API 11, 12), made by
 * {@link SocketFactory#constructLocalSocketInstance()}. Its addresses are file system paths, so it is not a
 * {@link NetSocket}; otherwise it behaves as a {@link TCPSocket}: sends complete in call order when their bytes reach
 * the kernel, with the same queue limit, timeouts and encodings, and {@code close()} flushes the accepted sends first.
 *
 * <p>Every asynchronous method has both forms, a {@link CompletableFuture} and an {@link AsyncCallback} (the
 * reference has promises only). Where the platform has no Unix domain sockets, every call fails with 2301097.
 *
 * <p>Events: {@link #MESSAGE 'message'} (a chunk of the stream, with the path), {@link SocketEventType#CONNECT
 * 'connect'}, {@link SocketEventType#CLOSE 'close'} (on {@code close()}, the peer's end or a failure: exactly once)
 * and {@link SocketEventType#ERROR 'error'}.
 */
public interface LocalSocket {

    /** A chunk of the stream was received; the payload tells the path. */
    SocketEventType<LocalSocketMessageInfo> MESSAGE = SocketEventType.localMessage();

    /**
     * Binds the socket to a path, which creates the socket file (optional before {@code connect}). Fails with 401
     * for an empty path or one longer than 106 bytes, 2301098 when the file exists, 2301002 when its directory does
     * not, 2301013 without permission, 2301009 after {@code close()}.
     * @param address the path
     * @return completes when bound
     */
    CompletableFuture<Void> bind(LocalAddress address);

    /**
     * Binds, as {@link #bind(LocalAddress)}.
     * @param address the path
     * @param callback receives the result
     */
    void bind(LocalAddress address, AsyncCallback<Void> callback);

    /**
     * Connects to a server's socket file; 'connect' fires, then the result is delivered. Fails with 401 for a bad
     * path or a negative timeout, 2301002 when the file does not exist, 2301111 when nothing listens on it (or it
     * is not a socket), 2301013 without permission, 2301110 on timeout, 2301106 when connected already, and 2301011
     * at once when the server's backlog of connections it has not accepted yet is full: the kernel does not hold a
     * non-blocking local connect until there is room, so the timeout does not wait for it.
     * @param options the path and the timeout
     * @return completes when connected
     */
    CompletableFuture<Void> connect(LocalConnectOptions options);

    /**
     * Connects, as {@link #connect(LocalConnectOptions)}.
     * @param options the path and the timeout
     * @param callback receives the result
     */
    void connect(LocalConnectOptions options, AsyncCallback<Void> callback);

    /**
     * Sends bytes, as {@link TCPSocket#send(TCPSendOptions)}: 2301107 before {@code connect}, 2301105 past the send
     * queue limit, 2301110 when the kernel takes nothing for {@code socketTimeout}, 401 for an unknown encoding or
     * payload type, 2301009 after {@code close()}.
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
     * Closes the socket after the accepted sends reach the kernel; a bound socket removes its file. Idempotent.
     * @return completes when closed
     */
    CompletableFuture<Void> close();

    /**
     * Closes the socket, as {@link #close()}.
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
     * Sets the buffer sizes and {@code socketTimeout} after bind or connect (before: 2301009); {@code reuseAddress}
     * has no meaning for a path and is ignored. Fails with 401 for a negative value.
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
     * Returns the options in force, read back from the channel (the kernel may round buffer sizes; Linux reports
     * double the size set). Fails with 2301009 before bind or connect and after close.
     * @return completes with the options, every field set
     */
    CompletableFuture<ExtraOptions> getExtraOptions();

    /**
     * Returns the options, as {@link #getExtraOptions()}.
     * @param callback receives the options
     */
    void getExtraOptions(AsyncCallback<ExtraOptions> callback);

    /**
     * Sets how the stream is cut into {@link #MESSAGE 'message'} events, as {@link TCPSocket#setFraming(Framing)}:
     * set before {@code connect()}, it applies from the first byte.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

    /**
     * Returns the path the socket is bound to. Fails with 2301009 when it is not bound (a socket that connected
     * without bind has no path of its own) and after close.
     * @return completes with the path
     */
    CompletableFuture<String> getLocalAddress();

    /**
     * Returns the path, as {@link #getLocalAddress()}.
     * @param callback receives the path
     */
    void getLocalAddress(AsyncCallback<String> callback);

    /**
     * Registers a callback: {@link #MESSAGE}, {@link SocketEventType#CONNECT}, {@link SocketEventType#CLOSE} or
     * {@link SocketEventType#ERROR}.
     * @param type the event type
     * @param callback the callback
     * @param <T> the payload type
     * @throws BusinessError 401 for another type (also {@link SocketEventType#MESSAGE}), a {@code null} type or a
     * {@code null} callback
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
