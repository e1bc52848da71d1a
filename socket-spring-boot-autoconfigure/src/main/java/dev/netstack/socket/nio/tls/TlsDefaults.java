package dev.netstack.socket.nio.tls;

import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * The secure options of a TLS connect or listen that gives none: keys and trust from elsewhere (in Spring, an SSL
 * bundle named by {@code socket.tls.bundle} or by a declared server's {@code ssl.bundle}).
 *
 * <p>Asked once per handshake, so that a source whose material changes (a reloaded bundle) applies to the next
 * handshake, never to one under way. Called on an event loop: an implementation must not block.
 */
public interface TlsDefaults {

    /**
     * Returns the context that makes the engine of a new handshake: its key managers (the certificate and key this
     * side presents) and trust managers (what it accepts from the peer).
     * @return the current context, never {@code null}
     */
    SSLContext context();

    /**
     * Returns the protocol versions to enable, by their JDK names ("TLSv1.3").
     * @return the versions, or an empty list for the context's defaults
     */
    default List<String> protocols() {
        return List.of();
    }

    /**
     * Returns the cipher suites to enable, by their JDK (IANA) names.
     * @return the suites, or an empty list for the context's defaults
     */
    default List<String> cipherSuites() {
        return List.of();
    }

    /**
     * Tells whether a server requires a client certificate (mutual TLS).
     * @return {@code false} unless the source says so
     */
    default boolean requireClientCertificate() {
        return false;
    }

}
