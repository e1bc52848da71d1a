package dev.netstack.socket;

import java.util.List;

/**
 * Where a TLS socket connects or a TLS server listens, and how: the reference's {@code TLSConnectOptions}.
 *
 * <p>Values are not checked here; {@code connect} and {@code listen} check them and fail with 401 and a message that
 * names the value.
 *
 * @param address the peer (connect) or the local address (listen). For a connect, also the name the server's
 * certificate must carry: a host name is sent as SNI and checked against the certificate's DNS names, an IP literal
 * against its IP addresses
 * @param secureOptions certificates, key and algorithms; {@code null} for none (a client then trusts the JDK's trust
 * store and sends no certificate; in Spring, {@code socket.tls.bundle} supplies them)
 * @param ALPNProtocols the application protocols to offer (client) or accept (server) in order of preference, e.g.
 * {@code "h2"}, {@code "http/1.1"}; at most 10 names of 1 to 255 bytes, else 401; {@code null} or empty for none
 * @param skipRemoteValidation whether to accept any certificate from the peer: no chain check, no name check.
 * Default {@code false}: both are checked (a deviation from the reference, which ignores a name mismatch)
 * @param timeout how long the handshake may take, TCP connect included, in milliseconds; 0 means the factory's
 * default ({@code socket.tls.handshake-timeout}, 10 s; the reference waits for ever); negative is 401
 */
public record TLSConnectOptions(NetAddress address, TLSSecureOptions secureOptions, List<String> ALPNProtocols,
        boolean skipRemoteValidation, int timeout) {

    /**
     * Verifies the peer, offers no application protocol and uses the default handshake timeout.
     * @param address the peer (connect) or the local address (listen)
     * @param secureOptions certificates, key and algorithms, or {@code null}
     */
    public TLSConnectOptions(NetAddress address, TLSSecureOptions secureOptions) {
        this(address, secureOptions, List.of(), false, 0);
    }

    /**
     * Verifies the peer and uses the default handshake timeout.
     * @param address the peer (connect) or the local address (listen)
     * @param secureOptions certificates, key and algorithms, or {@code null}
     * @param ALPNProtocols the application protocols, or {@code null}
     */
    public TLSConnectOptions(NetAddress address, TLSSecureOptions secureOptions, List<String> ALPNProtocols) {
        this(address, secureOptions, ALPNProtocols, false, 0);
    }

    /**
     * Uses the default handshake timeout.
     * @param address the peer (connect) or the local address (listen)
     * @param secureOptions certificates, key and algorithms, or {@code null}
     * @param ALPNProtocols the application protocols, or {@code null}
     * @param skipRemoteValidation whether to accept any certificate from the peer
     */
    public TLSConnectOptions(NetAddress address, TLSSecureOptions secureOptions, List<String> ALPNProtocols,
            boolean skipRemoteValidation) {
        this(address, secureOptions, ALPNProtocols, skipRemoteValidation, 0);
    }

}
