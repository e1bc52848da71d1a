package dev.netstack.socket.nio;

import dev.netstack.socket.TCPSocketConnection;

/**
 * A {@link TCPSocketConnection}: a connection that a {@link NioTCPSocketServer} accepted.
 */
final class NioTCPSocketConnection extends NioAcceptedSocket implements TCPSocketConnection {

    NioTCPSocketConnection(long id, EventLoop loop, NioSocketFactory factory, NioTCPSocketServer server,
            int clientId) {
        super(id, loop, factory, server, clientId);
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    String kind() {
        return "TCP connection";
    }

}
