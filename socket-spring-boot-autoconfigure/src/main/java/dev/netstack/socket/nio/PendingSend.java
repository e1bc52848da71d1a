package dev.netstack.socket.nio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.netstack.socket.AsyncCallback;

/**
 * A send accepted but not yet handed whole to the kernel. It is also the task that carries the send to its socket's
 * loop, so that a send costs one object rather than one plus a lambda.
 *
 * @param socket the socket that sends it
 * @param data the bytes still to write (its position advances as they are written)
 * @param target the destination (UDP), or {@code null} on a connection
 * @param size the number of bytes the send had when accepted
 * @param callback receives the outcome
 */
record PendingSend(NioSocket socket, ByteBuffer data, InetSocketAddress target, int size,
        AsyncCallback<Void> callback) implements Runnable {

    /** On the loop: hands the send to its socket. */
    @Override
    public void run() {
        this.socket.sendOnLoop(this);
    }

}
