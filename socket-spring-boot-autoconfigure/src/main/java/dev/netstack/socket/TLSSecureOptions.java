package dev.netstack.socket;

import java.util.List;
import java.util.Objects;

/**
 * The certificates, key and algorithms of a TLS endpoint: the reference's {@code TLSSecureOptions}. A JavaBean, with
 * setters named after the reference's fields; {@code null} means "not set". Certificates and keys are PEM text, as
 * the reference takes them.
 *
 * <p>Values are not checked here: the {@code connect} or {@code listen} that receives them checks every field and
 * fails with 401 and a message that names the field (never the key's or password's text).
 */
public class TLSSecureOptions {

    private List<String> ca;

    private List<String> cert;

    private String key;

    private String password;

    private List<TLSProtocol> protocols;

    private Boolean useRemoteCipherPrefer;

    private String signatureAlgorithms;

    private String cipherSuite;

    private Boolean isBidirectionalAuthentication;

    /**
     * Returns the certificate authorities that the peer's chain must lead to.
     * @return PEM texts, or {@code null} when not set
     */
    public List<String> getCa() {
        return this.ca;
    }

    /**
     * Sets the certificate authorities that the peer's certificate chain must lead to. Each entry is PEM text with one
     * or more {@code CERTIFICATE} blocks; at most 1000 entries. Not set (or empty): the JDK's trust store, as the
     * reference uses the system's.
     * @param ca PEM texts, or {@code null} for the JDK's trust store
     */
    public void setCa(List<String> ca) {
        this.ca = ca;
    }

    /**
     * Returns this endpoint's certificate chain.
     * @return PEM texts, or {@code null} when not set
     */
    public List<String> getCert() {
        return this.cert;
    }

    /**
     * Sets this endpoint's certificate chain, its own certificate first; each entry is PEM text with one or more
     * {@code CERTIFICATE} blocks. A server needs it; a client sends it when the server asks for one. Needs
     * {@link #setKey key}, and the key must belong to the first certificate.
     * @param cert PEM texts, or {@code null} for none
     */
    public void setCert(List<String> cert) {
        this.cert = cert;
    }

    /**
     * Returns the private key of the certificate.
     * @return PEM text, or {@code null} when not set
     */
    public String getKey() {
        return this.key;
    }

    /**
     * Sets the private key of the first certificate of {@link #setCert cert}, as PEM text: PKCS#8
     * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}, with {@link #setPassword password}).
     * @param key PEM text, or {@code null} for none
     */
    public void setKey(String key) {
        this.key = key;
    }

    /**
     * Returns the password of an encrypted key.
     * @return the password, or {@code null} when not set
     */
    public String getPassword() {
        return this.password;
    }

    /**
     * Sets the password that decrypts {@link #setKey key}; ignored for a key that is not encrypted.
     * @param password the password, or {@code null} for none
     */
    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * Returns the protocol versions this endpoint accepts.
     * @return the versions, or {@code null} when not set
     */
    public List<TLSProtocol> getProtocols() {
        return this.protocols;
    }

    /**
     * Sets the protocol versions this endpoint accepts. Not set (or empty): TLS 1.2 and TLS 1.3, as the reference's
     * native default (its documentation says TLS 1.2 only).
     * @param protocols the versions, or {@code null} for both
     */
    public void setProtocols(List<TLSProtocol> protocols) {
        this.protocols = protocols;
    }

    /**
     * Returns whether a server picks the cipher suite by its own order of preference.
     * @return the flag, or {@code null} when not set
     */
    public Boolean getUseRemoteCipherPrefer() {
        return this.useRemoteCipherPrefer;
    }

    /**
     * Sets how a server picks the cipher suite, as the reference does (OpenSSL's
     * {@code SSL_OP_CIPHER_SERVER_PREFERENCE}): {@code true} takes the server's own order of
     * {@link #setCipherSuite cipherSuite}, {@code false} the client's. Not set: the JDK's default (the server's
     * order). A client ignores it.
     * @param useRemoteCipherPrefer the flag, or {@code null} to leave the JDK's default
     */
    public void setUseRemoteCipherPrefer(Boolean useRemoteCipherPrefer) {
        this.useRemoteCipherPrefer = useRemoteCipherPrefer;
    }

    /**
     * Returns the signature algorithms this endpoint offers and accepts.
     * @return the list as text, or {@code null} when not set
     */
    public String getSignatureAlgorithms() {
        return this.signatureAlgorithms;
    }

    /**
     * Sets the signature algorithms this endpoint offers and accepts, as an OpenSSL list separated by {@code ':'}:
     * TLS scheme names ({@code rsa_pss_rsae_sha256}, {@code ed25519}) or OpenSSL pairs ({@code ECDSA+SHA256},
     * {@code RSA-PSS+SHA384}). An unknown name fails with 401. The JDK applies the list per connection from Java 19
     * on; on older JDKs it is checked, then ignored with one WARNING in the log.
     * @param signatureAlgorithms the list, or {@code null} for the JDK's default
     */
    public void setSignatureAlgorithms(String signatureAlgorithms) {
        this.signatureAlgorithms = signatureAlgorithms;
    }

    /**
     * Returns the cipher suites this endpoint accepts.
     * @return the list as text, or {@code null} when not set
     */
    public String getCipherSuite() {
        return this.cipherSuite;
    }

    /**
     * Sets the cipher suites this endpoint accepts, in order of preference, separated by {@code ':'}, {@code ','} or
     * spaces: OpenSSL names ({@code ECDHE-RSA-AES128-GCM-SHA256}, {@code AES256-SHA256}) or the IANA names that the
     * JDK uses ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}). A name that is unknown, or that the running JDK does
     * not support, fails with 401; OpenSSL's keywords and operators ({@code HIGH}, {@code !aNULL}) are not
     * supported. As in OpenSSL, a list of TLS 1.2 suites leaves the TLS 1.3 suites at their default, and a list of
     * TLS 1.3 suites ({@code TLS_AES_128_GCM_SHA256}) leaves the TLS 1.2 suites at theirs.
     * @param cipherSuite the list, or {@code null} for the JDK's default
     */
    public void setCipherSuite(String cipherSuite) {
        this.cipherSuite = cipherSuite;
    }

    /**
     * Returns whether a server requires a client certificate.
     * @return the flag, or {@code null} when not set
     */
    public Boolean getIsBidirectionalAuthentication() {
        return this.isBidirectionalAuthentication;
    }

    /**
     * Sets whether a server requires a certificate from every client, verified against {@link #setCa ca}; a client
     * without one fails the handshake. Default {@code false}. A client ignores it, as in the reference: it sends
     * {@link #setCert cert} whenever the server asks.
     * @param isBidirectionalAuthentication the flag, or {@code null} for {@code false}
     */
    public void setIsBidirectionalAuthentication(Boolean isBidirectionalAuthentication) {
        this.isBidirectionalAuthentication = isBidirectionalAuthentication;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TLSSecureOptions that && Objects.equals(this.ca, that.ca)
                && Objects.equals(this.cert, that.cert) && Objects.equals(this.key, that.key)
                && Objects.equals(this.password, that.password) && Objects.equals(this.protocols, that.protocols)
                && Objects.equals(this.useRemoteCipherPrefer, that.useRemoteCipherPrefer)
                && Objects.equals(this.signatureAlgorithms, that.signatureAlgorithms)
                && Objects.equals(this.cipherSuite, that.cipherSuite)
                && Objects.equals(this.isBidirectionalAuthentication, that.isBidirectionalAuthentication);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.ca, this.cert, this.key, this.password, this.protocols, this.useRemoteCipherPrefer,
                this.signatureAlgorithms, this.cipherSuite, this.isBidirectionalAuthentication);
    }

    /** Tells which certificates and key are set, never their text: logs must not carry key material. */
    @Override
    public String toString() {
        return "TLSSecureOptions[ca=" + count(this.ca) + ", cert=" + count(this.cert) + ", key="
                + ((this.key != null) ? "(set)" : "null") + ", password=" + ((this.password != null) ? "(set)" : "null")
                + ", protocols=" + this.protocols + ", useRemoteCipherPrefer=" + this.useRemoteCipherPrefer
                + ", signatureAlgorithms=" + this.signatureAlgorithms + ", cipherSuite=" + this.cipherSuite
                + ", isBidirectionalAuthentication=" + this.isBidirectionalAuthentication + "]";
    }

    private static String count(List<String> pems) {
        return (pems != null) ? pems.size() + " PEM entries" : "null";
    }

}
