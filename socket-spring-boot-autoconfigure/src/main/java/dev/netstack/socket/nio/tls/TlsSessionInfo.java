package dev.netstack.socket.nio.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.netstack.socket.X509CertRawData;

/**
 * What the getters of a TLS socket report about an established session, read once when the handshake finishes.
 *
 * @param protocol the negotiated version, e.g. {@code TLSv1.3}
 * @param cipherSuite the negotiated suite by its JDK (IANA) name
 * @param peerCertificate the peer's certificate as DER, or {@code null} when it sent none
 * @param peerSignatureAlgorithms the signature algorithms the peer offered, by the JDK's standard names
 * ({@code SHA256withECDSA}, {@code RSASSA-PSS}, {@code Ed25519}), without repeats: a client's hello, or a server's
 * certificate request (empty when it sent none)
 * @param applicationProtocol the protocol ALPN selected, or {@code ""} when none
 */
public record TlsSessionInfo(String protocol, String cipherSuite, X509CertRawData peerCertificate,
        List<String> peerSignatureAlgorithms, String applicationProtocol) {

    static TlsSessionInfo of(SSLEngine engine) {
        SSLSession session = engine.getSession();
        // The JDK names schemes by their signature algorithms, so RSA-PSS with RSAE and PSS keys fall together.
        List<String> schemes = (session instanceof ExtendedSSLSession extended)
                ? Stream.of(extended.getPeerSupportedSignatureAlgorithms()).distinct().toList() : List.of();
        String alpn = engine.getApplicationProtocol();
        return new TlsSessionInfo(session.getProtocol(), session.getCipherSuite(), peerCertificate(session), schemes,
                (alpn != null) ? alpn : "");
    }

    private static X509CertRawData peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return (chain.length > 0) ? new X509CertRawData(chain[0].getEncoded(), X509CertRawData.FORMAT_DER) : null;
        }
        catch (SSLPeerUnverifiedException | CertificateEncodingException ex) {
            // The peer sent no certificate (a client the server did not ask), or one that cannot be encoded again.
            return null;
        }
    }

}
