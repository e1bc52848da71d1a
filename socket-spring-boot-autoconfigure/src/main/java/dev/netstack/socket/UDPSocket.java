package dev.netstack.socket;

import java.util.concurrent.CompletableFuture;

/**
 * A UDP socket: the seed's {@code UDPSocket}, made by {@link SocketFactory#constructUDPSocketInstance()}.
 *
 * <p>Events: {@link SocketEventType#MESSAGE 'message'} (one per datagram), {@link SocketEventType#LISTENING
 * 'listening'} (after a successful bind, before its result), {@link SocketEventType#CLOSE 'close'} and
 * {@link SocketEventType#ERROR 'error'}.
 */
public interface UDPSocket extends NetSocket {

    /**
     * Binds the socket to a local address and starts receiving. Port 0 picks a free port; an address in use fails
     * with 2301098 (the socket never moves to another port); a bad port, family or literal fails with 401.
     * @param address the local address: an IP literal of its family, {@code localhost}, or a wildcard
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
     * Sends one datagram. Fails with 2301009 before bind, 2301090 when larger than the protocol allows (never
     * split), 401 for a bad destination or payload type, 2301105 when the send would take the send queue past its
     * limit ({@code socket.udp.send-queue-limit}: the memory that the sends accepted and not yet completed hold,
     * their bytes plus a small constant per send, sends waiting for a host name included). Host names are resolved
     * off the event loop. Zero-length datagrams are sent.
     * <p>A send refused with 2301105 fails at once, on the calling thread, before {@code send} returns (the returned
     * future has failed already), so that a caller that never waits cannot pile up refusals; every other result
     * arrives on the socket's event loop. Retry once an earlier send has completed, not from the refusal's callback,
     * which would recurse.
     * @param options the payload and the destination
     * @return completes when the kernel has taken the datagram
     */
    CompletableFuture<Void> send(UDPSendOptions options);

    /**
     * Sends one datagram, as {@link #send(UDPSendOptions)}.
     * @param options the payload and the destination
     * @param callback receives the result
     */
    void send(UDPSendOptions options, AsyncCallback<Void> callback);

    /**
     * Applies options to the bound socket; only the set fields are applied. Fails with 2301009 before bind and
     * after close, 401 for a negative size or timeout.
     * @param options the options
     * @return completes when every set option is applied
     */
    CompletableFuture<Void> setExtraOptions(UDPExtraOptions options);

    /**
     * Applies options, as {@link #setExtraOptions(UDPExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(UDPExtraOptions options, AsyncCallback<Void> callback);

}
