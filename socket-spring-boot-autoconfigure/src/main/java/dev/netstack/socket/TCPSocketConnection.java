package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A connection accepted by a {@link TCPSocketServer}: the reference's {@code TCPSocketConnection} (API 10).
 *
 * <p>It behaves as a connected {@link TCPSocket}: sends complete in call order when their bytes reach the kernel,
 * with the same queue limit, timeouts and encodings, and {@code close()} flushes the accepted sends first. It reads
 * only once it has a consumer (a {@link SocketEventType#MESSAGE 'message'} callback, or the factory's observers);
 * register one in the server's {@link TCPSocketServer#CONNECT 'connect'} callback, which runs on this connection's
 * event loop before anything is read.
 *
 * <p>Events: {@link SocketEventType#MESSAGE 'message'} (a chunk of the stream), {@link SocketEventType#CLOSE
 * 'close'} (on {@code close()}, the peer's FIN or a reset: exactly once) and {@link SocketEventType#ERROR 'error'}.
 */
public interface TCPSocketConnection extends NetSocket {

    /**
     * Returns the number of this connection: unique within its factory, from 1, never reused.
     * @return the client id
     */
    int clientId();

    /**
     * Sends bytes, as {@link TCPSocket#send(TCPSendOptions)}: 2301105 past the send queue limit, 2301110 when the
     * kernel takes nothing for {@code socketTimeout}, 401 for an unknown encoding or payload type, 2301009 after
     * {@code close()}.
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
     * Returns the address of the peer. Fails with 2301009 after {@code close()}.
     * @return completes with the peer's address
     */
    CompletableFuture<NetAddress> getRemoteAddress();

    /**
     * Returns the address of the peer, as {@link #getRemoteAddress()}.
     * @param callback receives the address
     */
    void getRemoteAddress(AsyncCallback<NetAddress> callback);

    /**
     * Sets how the stream is cut into {@link SocketEventType#MESSAGE 'message'} events, as
     * {@link TCPSocket#setFraming(Framing)}: set it in the server's {@link TCPSocketServer#CONNECT 'connect'}
     * callback, before anything is read, and each message is one whole frame.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

}
