package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;

/**
 * A {@link TCPSocket}: a {@link NioClientSocket} whose connect ends with the TCP connection. Its connection may be
 * handed to a TLS socket ({@code constructTLSSocketInstance(TCPSocket)}); this socket is inert afterwards.
 */
final class NioTCPSocket extends NioClientSocket implements TCPSocket {

    private static final System.Logger logger = Loggers.of(NioTCPSocket.class);

    NioTCPSocket(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TCP);
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    public CompletableFuture<Void> connect(TCPConnectOptions options) {
        return Callbacks.future(callback -> connect(options, callback));
    }

    @Override
    public void connect(TCPConnectOptions options, AsyncCallback<Void> callback) {
        if (refuseCall(callback, options)) {
            return;
        }
        int timeout = options.timeout();
        if (timeout < 0) {
            fail(callback, Errors.parameter("timeout " + timeout + " ms must not be negative (0 means the default)"));
            return;
        }
        long timeoutNanos = (timeout > 0) ? TimeUnit.MILLISECONDS.toNanos(timeout)
                : this.factory.settings().connectTimeout().toNanos();
        resolveThen(options.address(), callback, target -> connectOnLoop(target, timeoutNanos, callback));
    }

    @Override
    void transportConnected(AsyncCallback<Void> callback) {
        emit(SocketEventType.CONNECT, null);
        succeed(callback, null);
    }

    /**
     * Loop only: hands the connection to another socket of this loop (a TLS socket taking over a TCP socket): the
     * channel and its key, the sends not yet written (they go out first, in order), and the bytes read but not
     * delivered (an unfinished frame), which the successor's {@code early} keeps for its handshake. This socket is
     * left without a channel.
     * @param successor the socket that takes the connection
     * @return {@code false} when there was no connection to hand over
     */
    private boolean handOver(NioStreamSocket successor) {
        if (isClosed() || this.closing || !hasState(CONNECTED) || this.channel == null) {
            return false;
        }
        StreamWriter writer = writer();
        writer.cancelTimer();
        writer.transferTo(successor.writer());
        successor.early = this.delivery.takeUnfinished();
        this.delivery.release();
        // The key stays registered: only its handler changes, so no select is needed before reads go on.
        this.key.attach(successor);
        successor.key = this.key;
        successor.channel = this.channel;
        successor.interest = this.interest;
        this.key = null;
        this.channel = null;
        successor.bound(localAddress());
        successor.established(remoteAddress());
        return true;
    }

    /**
     * On the loop, behind the calls made before the upgrade: hands the connection to a TLS socket, as
     * {@link #handOver} says, and leaves this socket inert.
     * @param successor the TLS socket, on this socket's loop
     */
    void upgradeTo(NioTLSSocket successor) {
        if (handOver(successor)) {
            logger.log(Level.DEBUG, () -> this + " handed its connection to " + successor);
        }
        retire();
    }

}
