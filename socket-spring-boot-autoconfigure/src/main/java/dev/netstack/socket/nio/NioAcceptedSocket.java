package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;

import dev.netstack.socket.SocketEventType;

/**
 * A {@link NioStreamSocket} whose channel a server accepted: what a TCP and a TLS connection share. It starts with
 * its server's options, belongs to its server's books until it closes, and reads only once it has a consumer.
 */
abstract class NioAcceptedSocket extends NioStreamSocket {

    private final NioServerSocket<?> server;

    private final int clientId;

    NioAcceptedSocket(long id, EventLoop loop, NioSocketFactory factory, NioIpServerSocket<?> server, int clientId) {
        super(id, loop, factory, server.protocol(), server.connectionOptions());
        this.server = server;
        this.clientId = clientId;
    }

    public int clientId() {
        return this.clientId;
    }

    @Override
    public NioServerSocket<?> server() {
        return this.server;
    }

    /**
     * A connection reads once something receives what it reads: a 'message' callback, or an observer that wants
     * messages (Spring's events). Until then the bytes wait in the kernel and flow control holds the peer.
     */
    @Override
    boolean wantsToRead() {
        return hasMessageConsumer();
    }

    /** The server's 'connect' announces a connection: the connection itself emits message, close and error. */
    @Override
    boolean emits(SocketEventType<?> type) {
        return type != SocketEventType.CONNECT && super.emits(type);
    }

    @Override
    void closeChannel() {
        super.closeChannel();
        this.server.connectionClosed(this);
    }

    /**
     * DEBUG: a server may end thousands of connections a second, and a line each, formatted and written on the loop,
     * would cost more than the connection itself; the server's meters count them.
     */
    @Override
    Level closeLogLevel() {
        return Level.DEBUG;
    }

}
