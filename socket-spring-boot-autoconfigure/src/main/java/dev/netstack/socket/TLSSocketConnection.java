package dev.netstack.socket;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client of a {@link TLSSocketServer}: the reference's {@code TLSSocketConnection} (API 10). It reaches the
 * server's {@link TLSSocketServer#CONNECT 'connect'} once its handshake has finished, so the session getters work
 * at once.
 *
 * <p>Events: {@link SocketEventType#MESSAGE 'message'} (the plaintext of at most one TLS record each),
 * {@link SocketEventType#CLOSE 'close'} (on {@code close()}, on the client's close_notify, FIN or reset: exactly
 * once) and {@link SocketEventType#ERROR 'error'}; any other type is 401. Codes as {@link TLSSocket}'s.
 */
public interface TLSSocketConnection extends NetSocket {

    /**
     * Returns the connection's number: unique within the factory, from 1, never reused.
     * @return the number
     */
    int clientId();

    /**
     * Sends data on the session, as {@link TLSSocket#send(Object)}.
     * @param data a {@code String} (sent as UTF-8), {@code byte[]} or {@code ByteBuffer}
     * @return completes when every byte has been handed to the kernel
     */
    CompletableFuture<Void> send(Object data);

    /**
     * Sends data, as {@link #send(Object)}.
     * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer}
     * @param callback receives the result
     */
    void send(Object data, AsyncCallback<Void> callback);

    /**
     * Ends the session: the sends already accepted go out, then close_notify, then the connection is closed and
     * {@link SocketEventType#CLOSE 'close'} fires once. Idempotent.
     * @return completes when the connection is closed
     */
    @Override
    CompletableFuture<Void> close();

    /**
     * Sets how the plaintext is cut into {@link SocketEventType#MESSAGE 'message'} events, as
     * {@link TCPSocket#setFraming(Framing)}: set it in the server's {@link TLSSocketServer#CONNECT 'connect'}
     * callback, and each message is one whole frame.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

    /**
     * Returns the address of the client.
     * @return completes with the client's address
     */
    CompletableFuture<NetAddress> getRemoteAddress();

    /**
     * Returns the address of the client, as {@link #getRemoteAddress()}.
     * @param callback receives the address
     */
    void getRemoteAddress(AsyncCallback<NetAddress> callback);

    /**
     * Returns the client's certificate as DER. Fails with 2303504 when the client sent none (the server did not
     * require one: {@code isBidirectionalAuthentication}).
     * @return completes with the certificate
     */
    CompletableFuture<X509CertRawData> getRemoteCertificate();

    /**
     * Returns the client's certificate, as {@link #getRemoteCertificate()}.
     * @param callback receives the certificate
     */
    void getRemoteCertificate(AsyncCallback<X509CertRawData> callback);

    /**
     * Returns the negotiated cipher suite by its JDK (IANA) name, as the only element of the list.
     * @return completes with the suite
     */
    CompletableFuture<List<String>> getCipherSuite();

    /**
     * Returns the negotiated cipher suite, as {@link #getCipherSuite()}.
     * @param callback receives the suite
     */
    void getCipherSuite(AsyncCallback<List<String>> callback);

    /**
     * Returns the signature algorithms the client offered in its hello, by the JDK's standard names
     * ({@code SHA256withECDSA}, {@code RSASSA-PSS}, {@code Ed25519}), without repeats.
     * @return completes with the schemes
     */
    CompletableFuture<List<String>> getSignatureAlgorithms();

    /**
     * Returns the client's signature algorithms, as {@link #getSignatureAlgorithms()}.
     * @param callback receives the schemes
     */
    void getSignatureAlgorithms(AsyncCallback<List<String>> callback);

}
