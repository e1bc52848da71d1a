package dev.netstack.socket.autoconfigure;

import java.util.List;

import javax.net.ssl.SSLContext;

import dev.netstack.socket.nio.tls.TlsDefaults;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * The secure options of a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.*} or {@code jks.*}), named by
 * {@code socket.tls.bundle} or by a declared server's {@code ssl.bundle}: its keys and trust as an {@link SSLContext},
 * its enabled protocols and ciphers.
 *
 * <p>Follows the bundle through {@link SslBundles#addBundleUpdateHandler}: when Boot reloads a bundle whose files
 * changed ({@code reload-on-update}), the next handshake uses the new material; handshakes under way keep theirs.
 */
public final class SslBundleTlsDefaults implements TlsDefaults {

    private static final Log logger = LogFactory.getLog(SslBundleTlsDefaults.class);

    private final String bundleName;

    private final boolean requireClientCertificate;

    // Replaced whole by Boot's file watcher thread and read by the event loops at each handshake: one volatile
    // reference, so that a handshake never sees the context of one version with the protocols of another.
    private volatile Material current;

    private SslBundleTlsDefaults(String bundleName, Material material, boolean requireClientCertificate) {
        this.bundleName = bundleName;
        this.current = material;
        this.requireClientCertificate = requireClientCertificate;
    }

    /**
     * Looks a bundle up and follows its updates.
     * @param bundles the application's bundles
     * @param key the property that names the bundle, for the failure message
     * @param bundleName the bundle's name
     * @param requireClientCertificate whether a server requires a client certificate
     * @return the defaults
     * @throws InvalidConfigurationPropertyValueException naming the key when no bundle has that name or its material
     * makes no context
     */
    public static SslBundleTlsDefaults of(SslBundles bundles, String key, String bundleName,
            boolean requireClientCertificate) {
        if (bundleName == null || bundleName.isBlank()) {
            throw SocketSettingsMapper.invalid(key, bundleName, "must name an SSL bundle (spring.ssl.bundle.*)");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        }
        catch (NoSuchSslBundleException ex) {
            throw SocketSettingsMapper.invalid(key, bundleName,
                    "names no SSL bundle; the bundles under spring.ssl.bundle are " + bundles.getBundleNames());
        }
        Material material;
        try {
            material = Material.of(bundle);
        }
        catch (RuntimeException ex) {
            throw SocketSettingsMapper.invalid(key, bundleName, "the bundle makes no SSL context: " + ex.getMessage());
        }
        SslBundleTlsDefaults defaults = new SslBundleTlsDefaults(bundleName, material, requireClientCertificate);
        bundles.addBundleUpdateHandler(bundleName, defaults::update);
        return defaults;
    }

    private void update(SslBundle bundle) {
        try {
            this.current = Material.of(bundle);
            logger.info("SSL bundle '" + this.bundleName + "' reloaded: new TLS handshakes use it");
        }
        catch (RuntimeException ex) {
            // A half-written file must not stop the service: the previous material stays in force.
            logger.warn("SSL bundle '" + this.bundleName + "' changed but makes no SSL context; TLS handshakes keep "
                    + "the previous one: " + ex.getMessage());
        }
    }

    /**
     * Returns the name of the bundle.
     * @return the name
     */
    public String bundleName() {
        return this.bundleName;
    }

    @Override
    public SSLContext context() {
        return this.current.context();
    }

    @Override
    public List<String> protocols() {
        return this.current.protocols();
    }

    @Override
    public List<String> cipherSuites() {
        return this.current.cipherSuites();
    }

    @Override
    public boolean requireClientCertificate() {
        return this.requireClientCertificate;
    }

    @Override
    public String toString() {
        return "SSL bundle '" + this.bundleName + "'";
    }

    /** One version of a bundle, made into what a handshake needs once, not once per handshake. */
    private record Material(SSLContext context, List<String> protocols, List<String> cipherSuites) {

        static Material of(SslBundle bundle) {
            SslOptions options = bundle.getOptions();
            return new Material(bundle.createSslContext(), list(options.getEnabledProtocols()),
                    list(options.getCiphers()));
        }

        private static List<String> list(String[] names) {
            return (names != null) ? List.of(names) : List.of();
        }

    }

}
