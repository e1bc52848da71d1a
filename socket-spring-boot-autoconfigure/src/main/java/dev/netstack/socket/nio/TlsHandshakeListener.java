package dev.netstack.socket.nio;

import dev.netstack.socket.BusinessError;

/**
 * What a TLS socket does when its {@link TlsLayer}'s handshake ends: a client completes its connect, a server's
 * connection reaches the server's 'connect' callbacks. Called on the socket's loop, inside the engine's call.
 */
interface TlsHandshakeListener {

    /** The handshake finished: the session's getters work from now on. */
    void tlsEstablished();

    /**
     * The handshake failed or timed out: the listener tells whoever waits for it and ends the connection (the
     * engine's alert gets one write first).
     * @param error the failure
     */
    void tlsFailed(BusinessError error);

}
