package dev.netstack.socket;

/**
 * The state of a socket: the seed's {@code SocketStateBase}.
 *
 * @param isBound whether the socket is bound to a local address
 * @param isClose whether the socket is closed
 * @param isConnected whether the socket is connected (TCP only)
 */
public record SocketStateBase(boolean isBound, boolean isClose, boolean isConnected) {

}
