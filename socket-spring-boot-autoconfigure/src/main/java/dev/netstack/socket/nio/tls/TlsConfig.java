package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.Errors;

/**
 * The TLS side of one {@code connect} or {@code listen}: the {@link TLSConnectOptions} checked and turned into an
 * {@link SSLContext} and the {@link SSLParameters} of every engine it makes. Building it checks every field, so a
 * bad option fails with 401 before any byte is sent; the engines it makes need no further checks.
 *
 * <p>Immutable and safe to share between threads: a server makes one when it starts listening and one engine per
 * accepted connection from any loop.
 */
public final class TlsConfig {

    /** The reference's limit on ALPN names. */
    static final int MAX_ALPN_PROTOCOLS = 10;

    private final boolean client;

    private final SSLContext context;

    /** Never handed out: the JDK copies it into each engine, so one instance serves every engine. */
    private final SSLParameters parameters;

    private final String serverName;

    private final int serverPort;

    private final X509Certificate certificate;

    private final String highestProtocol;

    private final int timeout;

    /** Where keys and trust come from per handshake when the options gave none; {@code null} otherwise. */
    private final TlsDefaults defaults;

    private final boolean skipRemoteValidation;

    /**
     * Checks the options. Without {@code defaults} the secure options make the context; with them (a connect or
     * listen that gave no secure options) keys and trust come from {@link TlsDefaults}, asked once per engine, so
     * that a reloaded source applies to the next handshake: ALPN, the timeout and a client's server name still come
     * from the options, and {@code skipRemoteValidation} drops the name check only (the trust stays the defaults').
     */
    private TlsConfig(boolean client, TLSConnectOptions options, TlsDefaults defaults) {
        this.client = client;
        this.defaults = defaults;
        this.skipRemoteValidation = options.skipRemoteValidation();
        if (options.timeout() < 0) {
            throw Errors.parameter("timeout " + options.timeout() + " ms must not be negative (0 means the default)");
        }
        this.timeout = options.timeout();
        this.serverName = client ? serverName(options.address()) : null;
        this.serverPort = client ? options.address().port() : 0;
        if (defaults != null) {
            this.context = null;
            this.certificate = null;
            List<String> enabled = defaults.protocols();
            this.highestProtocol = (enabled.isEmpty() || enabled.contains(TLSProtocol.TLSv13.protocolName()))
                    ? TLSProtocol.TLSv13.protocolName() : TLSProtocol.TLSv12.protocolName();
            this.parameters = new SSLParameters();
            this.parameters
                .setApplicationProtocols(applicationProtocols(options.ALPNProtocols()).toArray(String[]::new));
            return;
        }
        TLSSecureOptions secure = (options.secureOptions() != null) ? options.secureOptions() : new TLSSecureOptions();
        List<String> protocols = protocols(secure.getProtocols());
        this.highestProtocol = protocols.contains(TLSProtocol.TLSv13.protocolName())
                ? TLSProtocol.TLSv13.protocolName() : TLSProtocol.TLSv12.protocolName();
        List<String> alpn = applicationProtocols(options.ALPNProtocols());
        Credentials credentials = credentials(secure);
        if (!client && credentials == null) {
            throw Errors.parameter("a TLS server needs cert and key in secureOptions");
        }
        this.certificate = (credentials != null) ? credentials.chain()[0] : null;
        TrustManager[] trust = options.skipRemoteValidation() ? new TrustManager[] { TrustEverything.INSTANCE }
                : trustManagers(secure.getCa());
        KeyManager[] keys = (credentials != null)
                ? new KeyManager[] { new SingleKeyManager(credentials.key(), credentials.chain()) } : null;
        this.context = context(keys, trust);
        SSLParameters jdkDefaults = this.context.getDefaultSSLParameters();
        this.parameters = new SSLParameters();
        this.parameters.setProtocols(protocols.toArray(String[]::new));
        this.parameters.setCipherSuites(cipherSuites(secure.getCipherSuite(), this.context, jdkDefaults));
        this.parameters.setUseCipherSuitesOrder((secure.getUseRemoteCipherPrefer() != null)
                ? secure.getUseRemoteCipherPrefer() : jdkDefaults.getUseCipherSuitesOrder());
        this.parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        if (client && !options.skipRemoteValidation()) {
            // The JDK's HTTPS rules: DNS names against the host name, IP entries against an IP literal.
            this.parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!client && Boolean.TRUE.equals(secure.getIsBidirectionalAuthentication())) {
            this.parameters.setNeedClientAuth(true);
        }
        String signatureAlgorithms = secure.getSignatureAlgorithms();
        if (signatureAlgorithms != null && !signatureAlgorithms.isBlank()) {
            SignatureSchemes.apply(this.parameters, SignatureSchemes.parse(signatureAlgorithms));
        }
    }

    /**
     * Checks the options of a {@code connect}, with keys and trust from {@code defaults} when they carry no secure
     * options.
     * @param options the options
     * @param defaults the source of secure options, or {@code null}: then the JDK's trust store verifies the server
     * @return the configuration
     * @throws BusinessError 401 naming the first bad field
     */
    public static TlsConfig client(TLSConnectOptions options, TlsDefaults defaults) {
        if (requireOptions(options).secureOptions() != null || defaults == null) {
            return client(options);
        }
        return new TlsConfig(true, options, defaults);
    }

    /**
     * Checks the options of a {@code listen}, with keys and trust from {@code defaults} when they carry no secure
     * options.
     * @param options the options
     * @param defaults the source of secure options, or {@code null}
     * @return the configuration
     * @throws BusinessError 401 naming the first bad field, or {@code secureOptions} when neither gives a certificate
     */
    public static TlsConfig server(TLSConnectOptions options, TlsDefaults defaults) {
        if (requireOptions(options).secureOptions() != null) {
            return server(options);
        }
        if (defaults == null) {
            throw Errors.parameter("secureOptions is null: a TLS server needs cert and key there, or TLS defaults "
                    + "(socket.tls.bundle)");
        }
        return new TlsConfig(false, options, defaults);
    }

    /**
     * Checks the options of a {@code connect}.
     * @param options the options; {@code address} names the server, whose certificate must carry that name
     * @return the configuration
     * @throws BusinessError 401 naming the first bad field
     */
    public static TlsConfig client(TLSConnectOptions options) {
        return new TlsConfig(true, requireOptions(options), null);
    }

    /**
     * Checks the options of a {@code listen}; {@code secureOptions} must hold {@code cert} and {@code key}.
     * @param options the options
     * @return the configuration
     * @throws BusinessError 401 naming the first bad field
     */
    public static TlsConfig server(TLSConnectOptions options) {
        return new TlsConfig(false, requireOptions(options), null);
    }

    /**
     * Makes the engine of a client connection to the server that the options name.
     * @param listener receives what the engine produces
     * @param scratch the calling thread's scratch buffers
     * @return the engine, before its handshake
     * @throws IllegalStateException on a server's configuration
     */
    public TlsEngine newClientEngine(TlsEngineListener listener, TlsScratch scratch) {
        if (!this.client) {
            throw new IllegalStateException("a server's configuration makes server engines");
        }
        return new TlsEngine(engine(this.serverName, this.serverPort), listener, scratch);
    }

    /**
     * Makes the engine of one accepted connection.
     * @param clientHost the client's address, for messages and the session cache
     * @param clientPort the client's port
     * @param listener receives what the engine produces
     * @param scratch the calling thread's scratch buffers
     * @return the engine, before its handshake
     * @throws IllegalStateException on a client's configuration
     */
    public TlsEngine newServerEngine(String clientHost, int clientPort, TlsEngineListener listener,
            TlsScratch scratch) {
        if (this.client) {
            throw new IllegalStateException("a client's configuration makes client engines");
        }
        return new TlsEngine(engine(clientHost, clientPort), listener, scratch);
    }

    private SSLEngine engine(String host, int port) {
        if (this.defaults != null) {
            return engineOfDefaults(host, port);
        }
        SSLEngine engine = this.context.createSSLEngine(host, port);
        // Mode first: setting it resets the protocols and suites that the parameters then set.
        engine.setUseClientMode(this.client);
        engine.setSSLParameters(this.parameters);
        return engine;
    }

    private SSLEngine engineOfDefaults(String host, int port) {
        SSLContext current = this.defaults.context();
        SSLEngine engine = current.createSSLEngine(host, port);
        engine.setUseClientMode(this.client);
        SSLParameters parameters = current.getDefaultSSLParameters();
        if (!this.defaults.protocols().isEmpty()) {
            parameters.setProtocols(this.defaults.protocols().toArray(String[]::new));
        }
        if (!this.defaults.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(this.defaults.cipherSuites().toArray(String[]::new));
        }
        parameters.setApplicationProtocols(this.parameters.getApplicationProtocols());
        if (this.client && !this.skipRemoteValidation) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!this.client && this.defaults.requireClientCertificate()) {
            parameters.setNeedClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Returns this side's certificate, the first of {@code cert}.
     * @return the DER bytes, or {@code null} when the options hold no certificate
     */
    public X509CertRawData certificate() {
        if (this.certificate == null) {
            return null;
        }
        try {
            return new X509CertRawData(this.certificate.getEncoded(), X509CertRawData.FORMAT_DER);
        }
        catch (CertificateEncodingException ex) {
            throw new BusinessError(BusinessError.INTERNAL_ERROR, "cannot encode the certificate", ex);
        }
    }

    /**
     * Returns the highest protocol version the options allow, which a server reports as the reference does.
     * @return {@code "TLSv1.3"} or {@code "TLSv1.2"}
     */
    public String highestProtocol() {
        return this.highestProtocol;
    }

    /**
     * Returns the handshake timeout of the options.
     * @return milliseconds; 0 means the factory's default
     */
    public int timeoutMillis() {
        return this.timeout;
    }

    /**
     * Returns the name the server's certificate must carry.
     * @return the host name or IP literal of a client's options, or {@code null} for a server
     */
    public String serverName() {
        return this.serverName;
    }

    private static TLSConnectOptions requireOptions(TLSConnectOptions options) {
        if (options == null) {
            throw Errors.parameter("options must not be null");
        }
        return options;
    }

    private static String serverName(NetAddress address) {
        if (address == null || address.address() == null || address.address().isBlank()) {
            throw Errors.parameter("address must name the server (a host name or IP literal), not " + address);
        }
        String host = address.address().trim();
        // An IPv6 literal may come bracketed; the engine and the name check want it bare.
        return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
    }

    private static List<String> protocols(List<TLSProtocol> protocols) {
        if (protocols == null || protocols.isEmpty()) {
            return List.of(TLSProtocol.TLSv13.protocolName(), TLSProtocol.TLSv12.protocolName());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < protocols.size(); i++) {
            TLSProtocol protocol = protocols.get(i);
            if (protocol == null) {
                throw Errors.parameter("protocols[" + i + "] is null; use TLSv12 or TLSv13");
            }
            if (!names.contains(protocol.protocolName())) {
                names.add(protocol.protocolName());
            }
        }
        return names;
    }

    private static List<String> applicationProtocols(List<String> names) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > MAX_ALPN_PROTOCOLS) {
            throw Errors.parameter("ALPNProtocols has " + names.size() + " names; at most " + MAX_ALPN_PROTOCOLS
                    + " are allowed");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int bytes = (name != null) ? name.getBytes(StandardCharsets.UTF_8).length : 0;
            if (bytes == 0 || bytes > 255) {
                throw Errors.parameter("ALPNProtocols[" + i + "] '" + name + "' must be 1 to 255 bytes long");
            }
        }
        return names;
    }

    private record Credentials(PrivateKey key, X509Certificate[] chain) {
    }

    private static Credentials credentials(TLSSecureOptions secure) {
        boolean hasCert = secure.getCert() != null && !secure.getCert().isEmpty();
        boolean hasKey = secure.getKey() != null;
        if (hasCert != hasKey) {
            throw Errors.parameter(hasCert ? "cert is set but key is not: set both, or neither"
                    : "key is set but cert is not: set both, or neither");
        }
        if (!hasCert) {
            return null;
        }
        List<X509Certificate> chain = PemCertificates.read(secure.getCert(), "cert");
        PrivateKey key = PemKeys.read(secure.getKey(), secure.getPassword());
        PemKeys.requireMatch(key, chain.get(0));
        return new Credentials(key, chain.toArray(X509Certificate[]::new));
    }

    /** The chain is checked against {@code ca}, or the JDK's trust store ({@code null}) when it is absent. */
    private static TrustManager[] trustManagers(List<String> ca) {
        if (ca == null || ca.isEmpty()) {
            return null;
        }
        List<X509Certificate> authorities = PemCertificates.read(ca, "ca");
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return factory.getTrustManagers();
        }
        catch (GeneralSecurityException | IOException ex) {
            throw new BusinessError(BusinessError.INTERNAL_ERROR, "cannot build the trust store of ca", ex);
        }
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        }
        catch (GeneralSecurityException ex) {
            throw new BusinessError(BusinessError.INTERNAL_ERROR, "cannot initialise the JDK's TLS context", ex);
        }
    }

    private static String[] cipherSuites(String list, SSLContext context, SSLParameters defaults) {
        if (list == null || list.isBlank()) {
            return defaults.getCipherSuites();
        }
        return CipherSuites.resolve(list, context.getSupportedSSLParameters().getCipherSuites(),
                defaults.getCipherSuites());
    }

}
