package dev.netstack.socket.nio.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.faults.LogRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The options a {@code connect} or {@code listen} hands to the engine: every field's good forms load, and every bad
 * input is 401 with a message that names the field and the value (but never a key's text).
 */
@Timeout(30)
class TlsConfigTests {

    private static final TestPki pki = TestPki.get();

    private static final String NOT_BASE64 = "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n";

    private static final String NOT_X509 = "-----BEGIN CERTIFICATE-----\nAAECAwQ=\n-----END CERTIFICATE-----\n";

    /** {@code openssl ecparam -genkey} writes the curve before the key. */
    private static final String P256_PARAMETERS = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
            + "-----END EC PARAMETERS-----\n";

    /** A server's secure options with the EC server credential, changed by {@code change}. */
    private static TLSSecureOptions server(Consumer<TLSSecureOptions> change) {
        TLSSecureOptions options = pki.server.options();
        change.accept(options);
        return options;
    }

    private static TlsConfig listen(TLSSecureOptions options) {
        return TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options));
    }

    private static Arguments row(String what, Supplier<TlsConfig> build, String... fragments) {
        return arguments(what, build, fragments);
    }

    static Stream<Arguments> badInput() {
        String keyPem = pki.server.pkcs8Pem();
        return Stream.of(
                // ca
                row("ca entry null", () -> listen(server(o -> o.setCa(Arrays.asList((String) null)))), "ca[0] is null"),
                row("ca without PEM", () -> listen(server(o -> o.setCa(List.of("not a certificate")))),
                        "ca[0] holds no PEM certificate"),
                row("ca holding a key", () -> listen(server(o -> o.setCa(List.of(keyPem)))),
                        "ca[0]: PEM block 1 is 'PRIVATE KEY', not 'CERTIFICATE'"),
                row("ca not Base64", () -> listen(server(o -> o.setCa(List.of(NOT_BASE64)))),
                        "ca[0]: PEM block 1 'CERTIFICATE' is not valid Base64"),
                row("ca not X.509", () -> listen(server(o -> o.setCa(List.of(pki.ca.certificatePem(), NOT_X509)))),
                        "ca[1]: PEM block 1 is not an X.509 certificate"),
                row("ca block not closed",
                        () -> listen(server(o -> o.setCa(List.of("-----BEGIN CERTIFICATE-----\nAAEC\n")))),
                        "ca[0]: PEM block 1 'CERTIFICATE' has no '-----END CERTIFICATE-----' line"),
                row("ca block closed as another",
                        () -> listen(server(o -> o.setCa(List.of(
                                "-----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----\n")))),
                        "ca[0]: PEM block 1 begins as 'CERTIFICATE' but ends as 'PRIVATE KEY'"),
                row("ca over 1000 entries",
                        () -> listen(server(o -> o.setCa(Collections.nCopies(1001, pki.ca.certificatePem())))),
                        "ca has 1001 entries; at most 1000"),
                // cert and key
                row("cert without key", () -> listen(server(o -> o.setKey(null))), "cert is set but key is not"),
                row("key without cert", () -> listen(server(o -> o.setCert(null))), "key is set but cert is not"),
                row("cert entry null", () -> listen(server(o -> o.setCert(Arrays.asList((String) null)))),
                        "cert[0] is null"),
                row("cert not X.509", () -> listen(server(o -> o.setCert(List.of(NOT_X509)))),
                        "cert[0]: PEM block 1 is not an X.509 certificate"),
                row("server without cert", () -> listen(new TLSSecureOptions()),
                        "a TLS server needs cert and key"),
                row("server without secure options",
                        () -> TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), null)),
                        "a TLS server needs cert and key"),
                row("key of another certificate", () -> listen(server(o -> o.setKey(pki.client.pkcs8Pem()))),
                        "key (EC) does not belong to cert[0] (CN=localhost, a EC key)"),
                row("key of another algorithm", () -> listen(server(o -> o.setKey(pki.rsaServer.pkcs8Pem()))),
                        "key (RSA) does not belong to cert[0]"),
                row("key without PEM", () -> listen(server(o -> o.setKey("secret"))), "key holds no PEM private key"),
                row("key encrypted, no password", () -> listen(server(o -> o.setKey(pki.server.encryptedPem("pw")))),
                        "key is encrypted: set password"),
                row("key encrypted, wrong password", () -> listen(server(o -> {
                    o.setKey(pki.server.encryptedPem("right"));
                    o.setPassword("wrong");
                })), "password does not decrypt key (encrypted with PBEWithHmacSHA256AndAES_256)"),
                row("key traditional encrypted", () -> listen(server(o -> o.setKey(
                        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n"
                                + "-----END RSA PRIVATE KEY-----\n"))),
                        "key is a traditional OpenSSL key encrypted with its Proc-Type header"),
                row("key of an unsupported kind", () -> listen(server(o -> o.setKey(
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAEC\n-----END OPENSSH PRIVATE KEY-----\n"))),
                        "key: a 'OPENSSH PRIVATE KEY' block is not supported"),
                row("key not DER", () -> listen(server(o -> o.setKey(
                        "-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----\n"))),
                        "key: the PKCS#8 PrivateKeyInfo is not well-formed DER"),
                row("key SEC1 without a curve", () -> listen(server(o -> o.setKey(pki.server.traditionalPem()))),
                        "the EC PRIVATE KEY names no curve, and no EC PARAMETERS block precedes it"),
                // protocols
                row("protocols entry null", () -> listen(server(o -> o.setProtocols(Arrays.asList(
                        TLSProtocol.TLSv13, null)))), "protocols[1] is null"),
                // signatureAlgorithms
                row("unknown signature scheme",
                        () -> listen(server(o -> o.setSignatureAlgorithms("rsa_pss_rsae_sha256:rsa_pkcs1_sha999"))),
                        "signatureAlgorithms entry 'rsa_pkcs1_sha999'"),
                row("unknown signature pair", () -> listen(server(o -> o.setSignatureAlgorithms("ECDSA+MD5"))),
                        "signatureAlgorithms entry 'ECDSA+MD5'"),
                row("empty signature list", () -> listen(server(o -> o.setSignatureAlgorithms(":"))),
                        "signatureAlgorithms ':' names no signature algorithm"),
                // cipherSuite
                row("unknown cipher", () -> listen(server(o -> o.setCipherSuite("AES128-SHA:NOT-A-SUITE"))),
                        "cipherSuite entry 'NOT-A-SUITE' is not a known OpenSSL or IANA cipher suite name"),
                row("OpenSSL keyword", () -> listen(server(o -> o.setCipherSuite("HIGH"))),
                        "cipherSuite entry 'HIGH' is not a known", "keywords"),
                row("OpenSSL operator", () -> listen(server(o -> o.setCipherSuite("AES128-SHA:!aNULL"))),
                        "cipherSuite entry '!aNULL' is an OpenSSL operator"),
                row("known name the JDK lacks", () -> listen(server(o -> o.setCipherSuite("DES-CBC3-SHA"))),
                        "cipherSuite entry 'DES-CBC3-SHA' (SSL_RSA_WITH_3DES_EDE_CBC_SHA) is not supported by this JDK"),
                row("IANA name the JDK lacks",
                        () -> listen(server(o -> o.setCipherSuite("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"))),
                        "cipherSuite entry 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA' is not supported by this JDK"),
                row("empty cipher list", () -> listen(server(o -> o.setCipherSuite(" : "))),
                        "cipherSuite ' : ' names no cipher suite"),
                // TLSConnectOptions
                row("options null", () -> TlsConfig.client(null), "options must not be null"),
                row("no address", () -> TlsConfig.client(new TLSConnectOptions(null, null)),
                        "address must name the server"),
                row("blank address", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress(" ", 443), null)),
                        "address must name the server"),
                row("negative timeout", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", 443),
                        null, List.of(), false, -1)), "timeout -1 ms must not be negative"),
                row("11 ALPN names", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", 443),
                        null, Collections.nCopies(11, "h2"))), "ALPNProtocols has 11 names; at most 10"),
                row("empty ALPN name", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", 443),
                        null, List.of("h2", ""))), "ALPNProtocols[1] '' must be 1 to 255 bytes long"),
                row("null ALPN name", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", 443),
                        null, Arrays.asList((String) null))), "ALPNProtocols[0] 'null' must be 1 to 255 bytes"),
                row("long ALPN name", () -> TlsConfig.client(new TLSConnectOptions(new NetAddress("localhost", 443),
                        null, List.of("x".repeat(256)))), "ALPNProtocols[0]", "must be 1 to 255 bytes long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIs401NamingTheValue(String what, Supplier<TlsConfig> build, String[] fragments) {
        assertThatThrownBy(build::get).isInstanceOf(BusinessError.class)
            .satisfies(error -> {
                assertThat(((BusinessError) error).getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
                assertThat(error.getMessage()).contains(fragments);
                // No key material in messages: none of a key's Base64 lines.
                for (String line : pki.server.pkcs8Pem().split("\n")) {
                    if (!line.startsWith("-----")) {
                        assertThat(error.getMessage()).doesNotContain(line);
                    }
                }
            });
    }

    @Test
    void tlsProtocolNamesAreLookedUpOr401() {
        assertThat(TLSProtocol.of("TLSv1.3")).isEqualTo(TLSProtocol.TLSv13);
        assertThat(TLSProtocol.of("TLSv1.2")).isEqualTo(TLSProtocol.TLSv12);
        assertThatThrownBy(() -> TLSProtocol.of("TLSv1.1")).isInstanceOf(BusinessError.class)
            .hasMessageContaining("TLS protocol 'TLSv1.1' is not one of TLSv1.2, TLSv1.3")
            .extracting(error -> ((BusinessError) error).getCode())
            .isEqualTo(BusinessError.PARAMETER_ERROR);
    }

    static Stream<Arguments> keyForms() {
        return Stream.of(arguments("PKCS#8 EC", pki.server, pki.server.pkcs8Pem(), null),
                arguments("SEC1 EC", pki.server, pki.server.sec1Pem(), null),
                arguments("SEC1 EC without a curve, after its EC PARAMETERS", pki.server,
                        P256_PARAMETERS + pki.server.traditionalPem(), null),
                arguments("encrypted PKCS#8 EC", pki.server, pki.server.encryptedPem(TestPki.PASSWORD),
                        TestPki.PASSWORD),
                arguments("PKCS#8 RSA", pki.rsaServer, pki.rsaServer.pkcs8Pem(), null),
                arguments("PKCS#1 RSA", pki.rsaServer, pki.rsaServer.traditionalPem(), null),
                arguments("encrypted PKCS#8 RSA", pki.rsaServer, pki.rsaServer.encryptedPem(TestPki.PASSWORD),
                        TestPki.PASSWORD),
                arguments("PKCS#1 RSA, password ignored", pki.rsaServer, pki.rsaServer.traditionalPem(), "unused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void everyKeyFormServesAHandshake(String form, TestPki.Credential credential, String key, String password) {
        TLSSecureOptions options = new TLSSecureOptions();
        options.setCert(List.of(credential.certificatePem(), pki.ca.certificatePem()));
        options.setKey(key);
        options.setPassword(password);

        MemoryPair pair = new MemoryPair(TlsConfig.client(MemoryPair.clientTo("localhost", MemoryPair.trusting())),
                listen(options)).handshake();

        assertThat(pair.client.sessionInfo().peerCertificate().data()).isEqualTo(credential.der());
        assertThat(listen(options).certificate().data()).as("the first of cert").isEqualTo(credential.der());
    }

    @Test
    void certificateEntriesMayHoldSeveralBlocks() {
        TLSSecureOptions options = new TLSSecureOptions();
        options.setCert(List.of(pki.server.certificatePem() + pki.ca.certificatePem()));
        options.setKey(pki.server.pkcs8Pem());
        List<String> bundle = new ArrayList<>(List.of("Bag Attributes: text openssl writes\n"
                + pki.ca.certificatePem() + pki.unknownCa.certificatePem()));

        TLSSecureOptions client = new TLSSecureOptions();
        client.setCa(bundle);
        MemoryPair pair = new MemoryPair(TlsConfig.client(MemoryPair.clientTo("127.0.0.1", client)), listen(options))
            .handshake();

        assertThat(pair.client.sessionInfo().protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void configurationTellsWhatTheGettersReport() {
        TLSSecureOptions tls12 = server(o -> o.setProtocols(List.of(TLSProtocol.TLSv12)));

        assertThat(listen(tls12).highestProtocol()).isEqualTo("TLSv1.2");
        assertThat(listen(server(o -> { })).highestProtocol()).isEqualTo("TLSv1.3");
        TlsConfig client = TlsConfig.client(new TLSConnectOptions(new NetAddress("[::1]", 443), null, null, false,
                2500));
        assertThat(client.serverName()).isEqualTo("::1");
        assertThat(client.timeoutMillis()).isEqualTo(2500);
        assertThat(client.certificate()).isNull();
        assertThatThrownBy(() -> client.newServerEngine("127.0.0.1", 1, new RecordingListener(), new TlsScratch()))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signatureAlgorithmsAreParsedAndAppliedWhereTheJdkCan() {
        assertThat(SignatureSchemes.parse("rsa_pss_rsae_sha256:ECDSA+SHA256:RSA-PSS+SHA384:ed25519:RSA+SHA256"))
            .containsExactly("rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha384", "ed25519",
                    "rsa_pkcs1_sha256");
        SignatureSchemes.warned.set(false);
        boolean perConnection = Runtime.version().feature() >= 19;
        try (LogRecords records = LogRecords.of(SignatureSchemes.class.getName())) {
            TLSSecureOptions options = server(o -> o.setSignatureAlgorithms("ECDSA+SHA256:rsa_pss_rsae_sha256"));
            MemoryPair first = new MemoryPair(
                    TlsConfig.client(MemoryPair.clientTo("127.0.0.1", MemoryPair.trusting())), listen(options));
            first.handshake();
            listen(options);

            assertThat(records.records()).filteredOn(r -> r.getLevel() == Level.WARNING)
                .as("one WARNING per JVM where the JDK cannot apply the list")
                .hasSize(perConnection ? 0 : 1)
                .allSatisfy(r -> assertThat(r.getMessage()).contains("signatureAlgorithms")
                    .contains("Java 19"));
        }
    }

}
