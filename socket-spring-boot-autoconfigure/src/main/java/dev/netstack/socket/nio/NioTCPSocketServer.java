package dev.netstack.socket.nio;

import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSocketServer;

/**
 * A {@link TCPSocketServer}: a {@link NioIpServerSocket} that hands each connection to its 'connect' callbacks as
 * soon as it is accepted.
 */
final class NioTCPSocketServer extends NioIpServerSocket<NioTCPSocketConnection> implements TCPSocketServer {

    NioTCPSocketServer(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TCP);
    }

    @Override
    public CompletableFuture<Void> listen(NetAddress address) {
        return Callbacks.future(callback -> listen(address, callback));
    }

    @Override
    public void listen(NetAddress address, AsyncCallback<Void> callback) {
        if (!refuseListen(callback)) {
            listenAt(address, callback, () -> {
            });
        }
    }

    @Override
    NioTCPSocketConnection newConnection(EventLoop target) {
        return this.factory.registerConnection(this, target);
    }

    @Override
    SocketEventType<? super NioTCPSocketConnection> connectEventType() {
        return TCPSocketServer.CONNECT;
    }

}
