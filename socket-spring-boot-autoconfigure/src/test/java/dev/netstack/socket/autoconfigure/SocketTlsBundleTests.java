package dev.netstack.socket.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.nio.tls.TlsDefaults;
import dev.netstack.socket.nio.tls.TestPkiFiles;
import dev.netstack.socket.nio.tls.TestPkiFiles.Name;
import dev.netstack.socket.ssl.JdkTlsPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code socket.tls.*}: the SSL bundle that TLS sockets use when a call gives no secure options, and the handshake
 * timeout. Handshakes here run on the JDK's own sockets with the context the factory's settings hand out; a reload
 * through a TLS server of the engine is in {@link TlsDeclaredServersTests}.
 */
@Timeout(60)
class SocketTlsBundleTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1");

    @TempDir
    Path directory;

    private Path certificate;

    private Path key;

    @BeforeEach
    void writeServerCertificate() {
        this.certificate = this.directory.resolve("server.crt");
        this.key = this.directory.resolve("server.key");
        TestPkiFiles.write(Name.SERVER, this.certificate, this.key);
    }

    private String[] bundle(String name) {
        return new String[] { "spring.ssl.bundle.pem." + name + ".keystore.certificate=file:" + this.certificate,
                "spring.ssl.bundle.pem." + name + ".keystore.private-key=file:" + this.key };
    }

    @Test
    void runWithoutBundleShouldGiveNoTlsDefaults() {
        this.contextRunner.run((context) -> {
            SocketSettings settings = context.getBean(NioSocketFactory.class).settings();
            assertThat(settings.tlsDefaults()).isNull();
            assertThat(settings.tlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void runWithBundleShouldHandshakeWithItsCertificateAndOptions() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("spring.ssl.bundle.pem.devices.options.enabled-protocols=TLSv1.3",
                    "socket.tls.bundle=devices", "socket.tls.handshake-timeout=3s")
            .run((context) -> {
                SocketSettings settings = context.getBean(NioSocketFactory.class).settings();
                TlsDefaults defaults = settings.tlsDefaults();
                assertThat(defaults).isInstanceOf(SslBundleTlsDefaults.class);
                assertThat(defaults.protocols()).containsExactly("TLSv1.3");
                assertThat(defaults.cipherSuites()).isEmpty();
                assertThat(defaults.requireClientCertificate()).isFalse();
                assertThat(settings.tlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(JdkTlsPeer.serverCommonName(defaults.context(), TestPkiFiles.trustingCa()))
                    .isEqualTo(TestPkiFiles.commonName(Name.SERVER));
            });
    }

    @Test
    void runWithUnknownBundleShouldFailNamingTheKeyAndTheBundles() {
        this.contextRunner.withPropertyValues(bundle("devices")).withPropertyValues("socket.tls.bundle=device")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.tls.bundle")
                .hasMessageContaining("'device'")
                .hasMessageContaining("names no SSL bundle")
                .hasMessageContaining("[devices]"));
    }

    @Test
    void runWithBadHandshakeTimeoutShouldFailNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.tls.handshake-timeout=0s")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.tls.handshake-timeout")
                .hasMessageContaining("must be positive"));
    }

}
