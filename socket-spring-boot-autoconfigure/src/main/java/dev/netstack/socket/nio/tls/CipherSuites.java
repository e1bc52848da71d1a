package dev.netstack.socket.nio.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.Errors;

/**
 * Turns the {@code cipherSuite} option, an OpenSSL cipher list of names, into the JDK's suites. OpenSSL names map
 * through a table of the suites that OpenSSL and the JDK share, plus the legacy ones that ported code still names;
 * IANA names (the JDK's own) pass as they are.
 */
final class CipherSuites {

    /** OpenSSL's names of the TLS 1.2 and older suites, with the JDK's names (the legacy ones keep the SSL_ prefix). */
    static final Map<String, String> OPENSSL_NAMES = Map.ofEntries(
            Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
            Map.entry("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
            Map.entry("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("DHE-RSA-AES128-SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
            Map.entry("DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("DHE-DSS-AES128-GCM-SHA256", "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"),
            Map.entry("DHE-DSS-AES256-GCM-SHA384", "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"),
            Map.entry("DHE-DSS-AES128-SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"),
            Map.entry("DHE-DSS-AES256-SHA256", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"),
            Map.entry("DHE-DSS-AES128-SHA", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"),
            Map.entry("DHE-DSS-AES256-SHA", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"),
            Map.entry("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"),
            Map.entry("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDH-ECDSA-AES128-GCM-SHA256", "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDH-ECDSA-AES256-GCM-SHA384", "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDH-RSA-AES128-GCM-SHA256", "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDH-RSA-AES256-GCM-SHA384", "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-DES-CBC3-SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-DES-CBC3-SHA", "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("EDH-RSA-DES-CBC3-SHA", "SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("DES-CBC3-SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("ECDHE-RSA-RC4-SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
            Map.entry("RC4-SHA", "SSL_RSA_WITH_RC4_128_SHA"),
            Map.entry("RC4-MD5", "SSL_RSA_WITH_RC4_128_MD5"),
            Map.entry("NULL-SHA256", "TLS_RSA_WITH_NULL_SHA256"));

    private CipherSuites() {
    }

    /**
     * Resolves a cipher list.
     * @param list names separated by {@code ':'}, {@code ','} or spaces
     * @param supported the suites the JDK implements and permits
     * @param defaults the suites the JDK enables by default, in its order
     * @return the suites to enable: the named ones in the given order, with the default suites of the protocol
     * generation (TLS 1.3, or 1.2 and older) of which the list names none, as OpenSSL keeps its TLS 1.3 suites apart
     * @throws BusinessError 401 naming the first unknown or unsupported name, or when the list names nothing
     */
    static String[] resolve(String list, String[] supported, String[] defaults) {
        Set<String> available = Set.of(supported);
        Set<String> named = new LinkedHashSet<>();
        for (String name : list.trim().split("[:,\\s]+")) {
            if (!name.isEmpty()) {
                named.add(jdkName(name, available));
            }
        }
        if (named.isEmpty()) {
            throw Errors.parameter("cipherSuite '" + list + "' names no cipher suite");
        }
        boolean namesTls13 = named.stream().anyMatch(CipherSuites::isTls13);
        boolean namesOlder = named.stream().anyMatch(suite -> !isTls13(suite));
        List<String> enabled = new ArrayList<>();
        for (String suite : defaults) {
            if (isTls13(suite) && !namesTls13) {
                enabled.add(suite);
            }
        }
        enabled.addAll(named);
        for (String suite : defaults) {
            if (!isTls13(suite) && !namesOlder) {
                enabled.add(suite);
            }
        }
        return enabled.toArray(String[]::new);
    }

    /**
     * Tells whether a suite is one of TLS 1.3's, which name no key exchange.
     * @param suite the JDK's name
     * @return {@code true} for e.g. {@code TLS_AES_128_GCM_SHA256}
     */
    static boolean isTls13(String suite) {
        return suite.startsWith("TLS_") && !suite.contains("_WITH_") && !suite.endsWith("_SCSV");
    }

    private static String jdkName(String name, Set<String> available) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("!") || upper.startsWith("+") || upper.startsWith("-") || upper.startsWith("@")
                || upper.contains("+")) {
            throw Errors.parameter("cipherSuite entry '" + name + "' is an OpenSSL operator, which is not supported: "
                    + "name each suite");
        }
        String mapped = OPENSSL_NAMES.get(upper);
        String candidate = (mapped != null) ? mapped : upper;
        if (available.contains(candidate)) {
            return candidate;
        }
        // The JDK keeps the SSL_ prefix for the oldest suites, which IANA lists as TLS_.
        String legacy = candidate.startsWith("TLS_") ? "SSL_" + candidate.substring(4) : null;
        if (legacy != null && available.contains(legacy)) {
            return legacy;
        }
        if (mapped != null || upper.startsWith("TLS_") || upper.startsWith("SSL_")) {
            throw Errors.parameter("cipherSuite entry '" + name + "'" + ((mapped != null) ? " (" + mapped + ")" : "")
                    + " is not supported by this JDK (not implemented, or disabled by jdk.tls.disabledAlgorithms)");
        }
        throw Errors.parameter("cipherSuite entry '" + name + "' is not a known OpenSSL or IANA cipher suite name "
                + "(OpenSSL keywords such as HIGH or DEFAULT are not supported: name each suite)");
    }

}
