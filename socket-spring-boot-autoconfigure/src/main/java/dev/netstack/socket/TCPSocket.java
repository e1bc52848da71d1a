package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A TCP client socket: the seed's {@code TCPSocket}, made by {@link SocketFactory#constructTCPSocketInstance()}.
 *
 * <p>Events: {@link SocketEventType#MESSAGE 'message'} (one per read: a chunk of the stream; or one per whole frame
 * after {@link #setFraming(Framing)}),
 * {@link SocketEventType#CONNECT 'connect'} (before the connect result), {@link SocketEventType#CLOSE 'close'} (on
 * {@code close()}, on the peer's FIN and on a reset: exactly once) and {@link SocketEventType#ERROR 'error'}.
 */
public interface TCPSocket extends NetSocket {

    /**
     * Binds the socket to a local address before it connects. Port 0 picks a free port; an address in use fails
     * with 2301098; a bad port, family or literal fails with 401.
     * @param address the local address
     * @return completes when the socket is bound
     */
    CompletableFuture<Void> bind(NetAddress address);

    /**
     * Binds the socket, as {@link #bind(NetAddress)}.
     * @param address the local address
     * @param callback receives the result
     */
    void bind(NetAddress address, AsyncCallback<Void> callback);

    /**
     * Connects to a peer. Fails with the real cause: refused 2301111, timed out 2301110, unreachable 2301113;
     * 2301106 when already connected, 2301114 while another connect is in progress; 401 for a bad address or a
     * negative timeout. After a failed connect the channel is released and the socket is no longer bound (an
     * earlier {@code bind} does not survive it); options set so far are kept, and {@code bind} and {@code connect}
     * may be called again. The failure arrives once the port is free, so a bind to the same port from the callback
     * succeeds. On success
     * {@link SocketEventType#CONNECT 'connect'} fires, then the result is delivered.
     * @param options the peer and the timeout
     * @return completes when the connection is established
     */
    CompletableFuture<Void> connect(TCPConnectOptions options);

    /**
     * Connects to a peer, as {@link #connect(TCPConnectOptions)}.
     * @param options the peer and the timeout
     * @param callback receives the result
     */
    void connect(TCPConnectOptions options, AsyncCallback<Void> callback);

    /**
     * Sends bytes on the connection. Sends complete in call order, each when its last byte has reached the kernel.
     * Fails with 2301107 before the connection is established, 2301105 when the send would take the send queue past
     * its limit ({@code socket.tcp.send-queue-limit}: the memory that the sends accepted and not yet completed hold,
     * their bytes plus a small constant per send; a single send larger than the limit always fails), 401 for an
     * unknown encoding or payload type. When the kernel takes no byte for {@code socketTimeout}, every queued send
     * fails with 2301110, 'error' fires and the connection is reset and closed: a send cut off part-way leaves the
     * stream unusable, and a reset tells the peer so.
     * <p>A send refused with 2301105 fails at once, on the calling thread, before {@code send} returns (the returned
     * future has failed already), so that a caller that never waits cannot pile up refusals; every other result
     * arrives on the socket's event loop. Retry once an earlier send has completed, not from the refusal's callback,
     * which would recurse.
     * @param options the payload and its encoding
     * @return completes when every byte has been handed to the kernel
     */
    CompletableFuture<Void> send(TCPSendOptions options);

    /**
     * Sends bytes, as {@link #send(TCPSendOptions)}.
     * @param options the payload and its encoding
     * @param callback receives the result
     */
    void send(TCPSendOptions options, AsyncCallback<Void> callback);

    /**
     * Returns the address of the peer. Fails with 2301107 before the connection is established.
     * @return completes with the peer's address
     */
    CompletableFuture<NetAddress> getRemoteAddress();

    /**
     * Returns the address of the peer, as {@link #getRemoteAddress()}.
     * @param callback receives the address
     */
    void getRemoteAddress(AsyncCallback<NetAddress> callback);

    /**
     * Applies options to the bound or connected socket; only the set fields are applied. Fails with 2301009 before
     * bind or connect and after close, 401 for a bad value (negative size, linger outside 0..65535).
     * @param options the options
     * @return completes when every set option is applied
     */
    CompletableFuture<Void> setExtraOptions(TCPExtraOptions options);

    /**
     * Applies options, as {@link #setExtraOptions(TCPExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback);

    /**
     * Sets how the stream is cut into {@link SocketEventType#MESSAGE 'message'} events (beyond the seed): with a
     * framing, each message is one whole frame ({@code remoteInfo.size} its size, without delimiter or length field),
     * delivered once and in order however the bytes arrive; without one, or with {@link Framing#none()}, each
     * message is one read. Sends are not changed: {@link Framing#encode(Object)} frames them.
     *
     * <p>Set it before {@code connect()}, or in the {@code 'connect'} callback, so that it applies from the first
     * byte. It may change at any time: it applies from the first byte that no message has carried yet; in a
     * {@code 'message'} callback, from the byte after that message (a protocol may switch framing mid-stream), and
     * bytes of an unfinished frame of the old framing are decoded by the new one. Called on the socket's event loop
     * it takes effect at once, from another thread it is queued behind the calls made before it.
     *
     * <p>A frame over the framing's maximum fires {@link SocketEventType#ERROR 'error'} with
     * {@value BusinessError#MESSAGE_TOO_LONG} (naming the size and the maximum), then the connection is reset and
     * closed: a stream that lost its framing is unusable. Bytes of an unfinished frame when the peer ends the
     * connection are dropped, as no whole frame holds them.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

}
