package dev.netstack.socket;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A TLS client socket: the reference's {@code TLSSocket} (API 9; the upgrade of a connected {@link TCPSocket} since
 * API 12), on the JDK's {@code SSLEngine}.
 *
 * <p>Events: {@link SocketEventType#MESSAGE 'message'} (the plaintext of at most one TLS record each),
 * {@link SocketEventType#CONNECT 'connect'} (after the handshake, before the connect result),
 * {@link SocketEventType#CLOSE 'close'} (on {@code close()}, on the peer's close_notify, FIN or reset: exactly once)
 * and {@link SocketEventType#ERROR 'error'}; any other type is 401.
 *
 * <p>Codes beyond {@link TCPSocket}'s: {@value BusinessError#TLS_NO_SESSION} a call that needs the session before
 * the handshake finished; {@value BusinessError#TLS_CERTIFICATE_INVALID} the peer's certificate failed verification
 * (chain, expiry or name); {@value BusinessError#TLS_HANDSHAKE_FAILED} the handshake failed for another reason (no
 * common protocol or cipher suite, an alert, a peer that does not speak TLS); {@value BusinessError#TLS_PEER_CLOSED}
 * the peer ended the session while sends were pending; {@value BusinessError#TLS_HANDSHAKE_TIMED_OUT} the handshake
 * timed out; TCP-level failures are {@value BusinessError#TLS_SYSTEM_ERROR_BASE} + errno (refused 2303211, address
 * in use 2303198).
 */
public interface TLSSocket extends NetSocket {

    /**
     * Binds the socket to a local address before it connects; optional. Port 0 picks a free port. Fails with 2303198
     * when the address is in use, 401 for a bad address. The reference only creates the socket here; this binds it,
     * as {@link TCPSocket#bind(NetAddress)} does.
     * @param address the local address
     * @return completes when the socket is bound
     */
    CompletableFuture<Void> bind(NetAddress address);

    /**
     * Binds the socket, as {@link #bind(NetAddress)}.
     * @param address the local address
     * @param callback receives the result
     */
    void bind(NetAddress address, AsyncCallback<Void> callback);

    /**
     * Connects to the peer and runs the TLS handshake, both within {@code options.timeout()}. The peer's certificate
     * chain is checked against {@code ca} (or the JDK's trust store) and its name against {@code address}, unless
     * {@code skipRemoteValidation}. On success {@link SocketEventType#CONNECT 'connect'} fires, then the result is
     * delivered. Fails with 401 for bad options (the message names the field), 2303504 when the peer's certificate
     * fails verification, 2303505 when the handshake fails otherwise, 2303210 when the TCP connect or the handshake
     * times out, 2303100 + errno when the TCP connect fails (refused 2303211); after a failure the connection is
     * closed. On a socket made from a connected {@code TCPSocket} only the handshake runs, and {@code address} must
     * equal that socket's peer (else 401).
     * @param options the peer, the secure options, ALPN, validation and timeout
     * @return completes when the handshake has finished
     */
    CompletableFuture<Void> connect(TLSConnectOptions options);

    /**
     * Connects and runs the handshake, as {@link #connect(TLSConnectOptions)}.
     * @param options the peer, the secure options, ALPN, validation and timeout
     * @param callback receives the result
     */
    void connect(TLSConnectOptions options, AsyncCallback<Void> callback);

    /**
     * Sends data on the session. Sends complete in call order, each when its last record has reached the kernel; a
     * record never carries bytes of two sends. Fails with 2303501 before the handshake has finished, 401 for an
     * empty payload (as the reference) or another type, 2303205 when the send would take the send queue past
     * {@code socket.tcp.send-queue-limit}, and with the TCP send's timeout rules otherwise.
     * @param data a {@code String} (sent as UTF-8), {@code byte[]} or {@code ByteBuffer} (not copied: leave it
     * unchanged until the send completes)
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
     * {@link SocketEventType#CLOSE 'close'} fires once. Idempotent; succeeds on a socket that never connected.
     * @return completes when the socket is closed
     */
    @Override
    CompletableFuture<Void> close();

    /**
     * Sets how the plaintext is cut into {@link SocketEventType#MESSAGE 'message'} events, as
     * {@link TCPSocket#setFraming(Framing)} does for a TCP stream: frames span records as they span reads.
     * @param framing e.g. {@code Framing.lines(8192)}
     * @throws BusinessError 401 when {@code framing} is {@code null}
     */
    void setFraming(Framing framing);

    /**
     * Returns the address of the peer. Fails with 2303501 before {@code connect} has succeeded.
     * @return completes with the peer's address
     */
    CompletableFuture<NetAddress> getRemoteAddress();

    /**
     * Returns the address of the peer, as {@link #getRemoteAddress()}.
     * @param callback receives the address
     */
    void getRemoteAddress(AsyncCallback<NetAddress> callback);

    /**
     * Applies TCP options to the bound or connected socket, as {@link TCPSocket#setExtraOptions(TCPExtraOptions)}.
     * @param options the options
     * @return completes when every set option is applied
     */
    CompletableFuture<Void> setExtraOptions(TCPExtraOptions options);

    /**
     * Applies TCP options, as {@link #setExtraOptions(TCPExtraOptions)}.
     * @param options the options
     * @param callback receives the result
     */
    void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback);

    /**
     * Returns this side's certificate, the first of {@code cert}, as DER ({@link X509CertRawData#FORMAT_DER}; the
     * reference gives PEM). Fails with 2303501 before the handshake has finished, 2303504 when the secure options
     * hold no certificate.
     * @return completes with the certificate
     */
    CompletableFuture<X509CertRawData> getCertificate();

    /**
     * Returns this side's certificate, as {@link #getCertificate()}.
     * @param callback receives the certificate
     */
    void getCertificate(AsyncCallback<X509CertRawData> callback);

    /**
     * Returns the peer's certificate as DER. Fails with 2303501 before the handshake has finished.
     * @return completes with the certificate
     */
    CompletableFuture<X509CertRawData> getRemoteCertificate();

    /**
     * Returns the peer's certificate, as {@link #getRemoteCertificate()}.
     * @param callback receives the certificate
     */
    void getRemoteCertificate(AsyncCallback<X509CertRawData> callback);

    /**
     * Returns the negotiated protocol version, e.g. {@code "TLSv1.3"} (the reference returns the highest version it
     * would accept). Fails with 2303501 before the handshake has finished.
     * @return completes with the version
     */
    CompletableFuture<String> getProtocol();

    /**
     * Returns the negotiated protocol version, as {@link #getProtocol()}.
     * @param callback receives the version
     */
    void getProtocol(AsyncCallback<String> callback);

    /**
     * Returns the negotiated cipher suite by its JDK (IANA) name, as the only element of the list (the reference
     * lists every enabled suite). Fails with 2303501 before the handshake has finished.
     * @return completes with the suite
     */
    CompletableFuture<List<String>> getCipherSuite();

    /**
     * Returns the negotiated cipher suite, as {@link #getCipherSuite()}.
     * @param callback receives the suite
     */
    void getCipherSuite(AsyncCallback<List<String>> callback);

    /**
     * Returns the signature algorithms the peer offered, by the JDK's standard names ({@code SHA256withECDSA},
     * {@code RSASSA-PSS}, {@code Ed25519}), without repeats: for a client, those of the server's certificate request,
     * so empty when the server asked for no certificate. Fails with 2303501 before the handshake has finished.
     * @return completes with the schemes
     */
    CompletableFuture<List<String>> getSignatureAlgorithms();

    /**
     * Returns the peer's signature algorithms, as {@link #getSignatureAlgorithms()}.
     * @param callback receives the schemes
     */
    void getSignatureAlgorithms(AsyncCallback<List<String>> callback);

}
