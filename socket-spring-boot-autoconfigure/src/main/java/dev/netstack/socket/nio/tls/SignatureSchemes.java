package dev.netstack.socket.nio.tls;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLParameters;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.Errors;

/**
 * Turns the {@code signatureAlgorithms} option, an OpenSSL sigalgs list, into the JDK's signature scheme names, and
 * applies them where the running JDK can: {@code SSLParameters.setSignatureSchemes} exists from Java 19 on.
 */
final class SignatureSchemes {

    private static final System.Logger logger = System.getLogger(SignatureSchemes.class.getName());

    /** The TLS signature schemes the JDK knows, by the names OpenSSL also uses. */
    static final Set<String> SCHEMES = Set.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512", "ed25519", "ed448", "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384",
            "rsa_pss_rsae_sha512", "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512",
            "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512", "dsa_sha256", "ecdsa_sha224", "rsa_sha224",
            "dsa_sha224", "ecdsa_sha1", "rsa_pkcs1_sha1", "dsa_sha1");

    /** OpenSSL's {@code SIGNATURE+HASH} pairs, as OpenSSL resolves them (the first scheme that matches). */
    private static final Map<String, String> PAIRS = Map.ofEntries(Map.entry("RSA+SHA1", "rsa_pkcs1_sha1"),
            Map.entry("RSA+SHA224", "rsa_sha224"), Map.entry("RSA+SHA256", "rsa_pkcs1_sha256"),
            Map.entry("RSA+SHA384", "rsa_pkcs1_sha384"), Map.entry("RSA+SHA512", "rsa_pkcs1_sha512"),
            Map.entry("RSA-PSS+SHA256", "rsa_pss_rsae_sha256"), Map.entry("RSA-PSS+SHA384", "rsa_pss_rsae_sha384"),
            Map.entry("RSA-PSS+SHA512", "rsa_pss_rsae_sha512"), Map.entry("PSS+SHA256", "rsa_pss_rsae_sha256"),
            Map.entry("PSS+SHA384", "rsa_pss_rsae_sha384"), Map.entry("PSS+SHA512", "rsa_pss_rsae_sha512"),
            Map.entry("ECDSA+SHA1", "ecdsa_sha1"), Map.entry("ECDSA+SHA224", "ecdsa_sha224"),
            Map.entry("ECDSA+SHA256", "ecdsa_secp256r1_sha256"), Map.entry("ECDSA+SHA384", "ecdsa_secp384r1_sha384"),
            Map.entry("ECDSA+SHA512", "ecdsa_secp521r1_sha512"), Map.entry("DSA+SHA1", "dsa_sha1"),
            Map.entry("DSA+SHA224", "dsa_sha224"), Map.entry("DSA+SHA256", "dsa_sha256"));

    /** {@code SSLParameters.setSignatureSchemes(String[])}, or {@code null} before Java 19. */
    private static final Method SET_SIGNATURE_SCHEMES = findSetter();

    /** The WARNING that the list is ignored is logged once per JVM, not once per connection (tests reset it). */
    static final AtomicBoolean warned = new AtomicBoolean();

    private SignatureSchemes() {
    }

    /**
     * Reads a sigalgs list.
     * @param list names separated by {@code ':'}: scheme names ({@code rsa_pss_rsae_sha256}) or pairs
     * ({@code ECDSA+SHA256}), in any case
     * @return the JDK's scheme names in the given order, without repeats
     * @throws BusinessError 401 naming the first unknown entry, or when the list names nothing
     */
    static List<String> parse(String list) {
        Set<String> schemes = new LinkedHashSet<>();
        for (String entry : list.trim().split("\\s*:\\s*")) {
            if (entry.isEmpty()) {
                continue;
            }
            String scheme = entry.contains("+") ? PAIRS.get(entry.toUpperCase(Locale.ROOT))
                    : entry.toLowerCase(Locale.ROOT);
            if (scheme == null || !SCHEMES.contains(scheme)) {
                throw Errors.parameter("signatureAlgorithms entry '" + entry + "' is not a known TLS signature scheme "
                        + "(e.g. rsa_pss_rsae_sha256, ed25519) or OpenSSL pair (e.g. ECDSA+SHA256, RSA-PSS+SHA384)");
            }
            schemes.add(scheme);
        }
        if (schemes.isEmpty()) {
            throw Errors.parameter("signatureAlgorithms '" + list + "' names no signature algorithm");
        }
        return new ArrayList<>(schemes);
    }

    /**
     * Applies the schemes to the parameters of a connection, or logs once that this JDK cannot.
     * @param parameters the parameters
     * @param schemes the JDK's scheme names
     * @return whether they were applied
     */
    static boolean apply(SSLParameters parameters, List<String> schemes) {
        if (SET_SIGNATURE_SCHEMES == null) {
            if (warned.compareAndSet(false, true)) {
                logger.log(Level.WARNING, "signatureAlgorithms " + schemes + " is ignored: Java "
                        + Runtime.version().feature() + " cannot set signature schemes per connection (Java 19 can)");
            }
            return false;
        }
        try {
            SET_SIGNATURE_SCHEMES.invoke(parameters, (Object) schemes.toArray(String[]::new));
            return true;
        }
        catch (IllegalAccessException | InvocationTargetException ex) {
            throw new BusinessError(BusinessError.INTERNAL_ERROR, "cannot set signature schemes " + schemes, ex);
        }
    }

    private static Method findSetter() {
        try {
            return SSLParameters.class.getMethod("setSignatureSchemes", String[].class);
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

}
