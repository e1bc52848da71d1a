package dev.netstack.socket.nio.tls;

import java.nio.ByteBuffer;

/**
 * What a {@link TlsEngine} hands to its owner: records for the transport, plaintext for the application, and the
 * session's milestones. Called on the owner's thread, from inside the engine's methods. No method may throw or feed
 * bytes back into the engine ({@link TlsEngine#receive}); {@link #outbound} only queues. The others may call
 * {@link TlsEngine#wrap} and {@link TlsEngine#close}, as an application that answers a message or a connect does.
 */
public interface TlsEngineListener {

    /**
     * Records that the engine made by itself: handshake messages, session tickets, key updates, alerts and
     * close_notify. Queue them for the transport at once, behind what is queued already: the peer must receive
     * records in the order the engine made them, and {@link TlsEngine#wrap} results queued later come after these.
     * @param records one or more whole records; a new buffer that the listener keeps
     */
    void outbound(ByteBuffer records);

    /**
     * The plaintext of one record from the peer.
     * @param data the bytes, valid only during the call: the engine reuses the buffer for the next record
     */
    void plaintext(ByteBuffer data);

    /**
     * The handshake has finished: {@link TlsEngine#wrap} and {@link TlsEngine#sessionInfo} work from now on. Called
     * once, after the handshake's last records went to {@link #outbound}, and before the plaintext of any record that
     * followed the handshake in the same read.
     */
    void handshakeFinished();

    /**
     * The peer ended the session with close_notify. No plaintext follows; bytes after it are discarded. Under TLS 1.2
     * the engine's own close_notify in answer has already gone to {@link #outbound}.
     */
    void closeNotifyReceived();

}
