package dev.netstack.socket.nio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.netstack.socket.AsyncCallback;

/**
 * A send accepted but not yet handed whole to the kernel.
 *
 * @param data the bytes still to write (its position advances as they are written)
 * @param target the destination (UDP), or {@code null} on a connection
 * @param size the number of bytes the send had when accepted
 * @param callback receives the outcome
 */
record PendingSend(ByteBuffer data, InetSocketAddress target, int size, AsyncCallback<Void> callback) {

}
