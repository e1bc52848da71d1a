package dev.netstack.socket.nio.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import dev.netstack.socket.BusinessError;

/**
 * The codes of TLS failures (DESIGN.md): a certificate that fails this side's verification is
 * {@value BusinessError#TLS_CERTIFICATE_INVALID}; any other handshake or record failure is
 * {@value BusinessError#TLS_HANDSHAKE_FAILED}; system errors of the transport move from the TCP base to the TLS base.
 */
public final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * Classifies a failure of the engine.
     * @param failure what the engine threw
     * @param peer the peer, e.g. {@code 127.0.0.1:443}
     * @param handshakeFinished whether the session was established
     * @return the error, with the failure as its cause
     */
    static BusinessError classify(Exception failure, String peer, boolean handshakeFinished) {
        Throwable verification = verificationFailure(failure);
        if (verification != null) {
            return new BusinessError(BusinessError.TLS_CERTIFICATE_INVALID,
                    "the certificate of " + peer + " failed verification: " + verification.getMessage(), failure);
        }
        String detail = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
        String what = handshakeFinished ? "TLS session with " : "TLS handshake with ";
        return new BusinessError(BusinessError.TLS_HANDSHAKE_FAILED, what + peer + " failed: " + detail, failure);
    }

    /**
     * Finds this side's rejection of the peer's certificate in a failure: the trust manager's exception (chain,
     * expiry, name), or a peer that sent no certificate where one is required. An alert from the peer that rejects
     * ours is not one: this side verified nothing.
     */
    private static Throwable verificationFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException) {
                return cause;
            }
            // The JDK tells a missing certificate only in its message.
            String message = cause.getMessage();
            if (cause instanceof SSLHandshakeException && message != null
                    && (message.contains("Empty client certificate chain")
                            || message.contains("Empty server certificate chain"))) {
                return cause;
            }
        }
        return null;
    }

    /**
     * The error of a handshake that did not finish in time.
     * @param peer the peer
     * @param millis the timeout
     * @return the error ({@value BusinessError#TLS_HANDSHAKE_TIMED_OUT})
     */
    public static BusinessError handshakeTimedOut(String peer, long millis) {
        return new BusinessError(BusinessError.TLS_HANDSHAKE_TIMED_OUT,
                "TLS handshake with " + peer + " did not finish within " + millis + " ms");
    }

    /**
     * The error of a call that needs the session before the handshake finished.
     * @param what the call, e.g. {@code "send()"}
     * @return the error ({@value BusinessError#TLS_NO_SESSION})
     */
    public static BusinessError noSession(String what) {
        return new BusinessError(BusinessError.TLS_NO_SESSION,
                "no TLS session yet: " + what + " needs a connection whose handshake has finished");
    }

    /**
     * Moves a system error of the TCP transport to the TLS base, as the reference reports TLS system errors
     * (connection refused 2301111 becomes 2303211); other codes stay.
     * @param error the transport's error
     * @return the error with the TLS code, or {@code error} itself when its code stays
     */
    public static BusinessError fromTransport(BusinessError error) {
        int code = error.getCode();
        if (code <= BusinessError.SYSTEM_ERROR_BASE || code >= BusinessError.SYSTEM_ERROR_BASE + 1000) {
            return error;
        }
        return new BusinessError(code - BusinessError.SYSTEM_ERROR_BASE + BusinessError.TLS_SYSTEM_ERROR_BASE,
                error.getMessage(), (error.getCause() != null) ? error.getCause() : error);
    }

}
