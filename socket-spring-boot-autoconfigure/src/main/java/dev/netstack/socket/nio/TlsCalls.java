package dev.netstack.socket.nio;

import java.util.List;
import java.util.function.Function;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.tls.TlsFailures;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

/**
 * What the calls of a TLS client and a TLS server's connection share beyond their stream: the session getters, the
 * rule that a send carries at least one byte, and the state that counts as connected only with a session.
 */
final class TlsCalls {

    private TlsCalls() {
    }

    /**
     * Answers a call with a value of the session: 2303501 before the handshake has finished, 2301009 after close.
     * @param socket the socket
     * @param what the call, for the message
     * @param read reads the value; {@code null} means the session has none (2303504)
     * @param none why a value can be missing, for the message of 2303504
     * @param callback receives the value
     * @param <T> the value type
     */
    static <T> void session(NioStreamSocket socket, String what, Function<TlsSessionInfo, T> read, String none,
            AsyncCallback<T> callback) {
        if (socket.refuseCall(callback)) {
            return;
        }
        TlsSessionInfo session = socket.tlsSession();
        if (session == null) {
            socket.fail(callback, TlsFailures.noSession(what));
            return;
        }
        T value = read.apply(session);
        if (value == null) {
            socket.fail(callback, new BusinessError(BusinessError.TLS_CERTIFICATE_INVALID,
                    what + ": no certificate: " + none));
            return;
        }
        socket.succeed(callback, value);
    }

    static void remoteCertificate(NioStreamSocket socket, AsyncCallback<X509CertRawData> callback) {
        session(socket, "getRemoteCertificate()", TlsSessionInfo::peerCertificate, "the peer sent none", callback);
    }

    static void cipherSuite(NioStreamSocket socket, AsyncCallback<List<String>> callback) {
        session(socket, "getCipherSuite()", session -> List.of(session.cipherSuite()), null, callback);
    }

    static void signatureAlgorithms(NioStreamSocket socket, AsyncCallback<List<String>> callback) {
        session(socket, "getSignatureAlgorithms()", TlsSessionInfo::peerSignatureAlgorithms, null, callback);
    }

    /**
     * Sends data on the session: a {@code String} as UTF-8, {@code byte[]} or {@code ByteBuffer}; an empty payload
     * is 401, as the reference.
     * @param socket the socket
     * @param data the payload
     * @param callback receives the result
     */
    static void send(NioStreamSocket socket, Object data, AsyncCallback<Void> callback) {
        if (socket.refuseCall(callback)) {
            return;
        }
        socket.send(data, null, callback);
    }

    /**
     * The state of a TLS socket: connected only once its handshake has finished.
     * @param base the state of the stream
     * @param socket the socket
     * @return the state
     */
    static SocketStateBase state(SocketStateBase base, NioStreamSocket socket) {
        return (base.isConnected() && socket.tlsSession() == null)
                ? new SocketStateBase(base.isBound(), base.isClose(), false) : base;
    }

}
