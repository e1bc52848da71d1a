package dev.netstack.socket.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.actuate.SocketsEndpoint.SocketDescriptor;
import dev.netstack.socket.autoconfigure.actuate.SocketsEndpointAutoConfiguration;
import dev.netstack.socket.autoconfigure.metrics.SocketMetricsAutoConfiguration;
import dev.netstack.socket.event.SocketConnectEvent;
import dev.netstack.socket.event.SocketEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.nio.tls.TestPkiFiles;
import dev.netstack.socket.nio.tls.TestPkiFiles.Name;
import dev.netstack.socket.ssl.JdkTlsPeer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Declared servers with {@code protocol: tls}: the key and certificate of an SSL bundle, events and meters that name
 * the server and say {@code tls}, the {@code sockets} endpoint's session, client certificates, bundle reloads, and
 * the start failures of a bad declaration. The clients are the JDK's own {@code SSLSocket}.
 */
@Timeout(60)
class TlsDeclaredServersTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketAutoConfiguration.class,
                SocketMetricsAutoConfiguration.class, SocketsEndpointAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1", "management.endpoints.web.exposure.include=sockets",
                "socket.servers.secure.protocol=tls", "socket.servers.secure.address=127.0.0.1",
                "socket.servers.secure.port=0", "socket.servers.secure.framing.type=lines");

    @TempDir
    Path directory;

    private Path certificate;

    private Path key;

    private Path ca;

    @BeforeEach
    void writeBundleFiles() {
        this.certificate = this.directory.resolve("server.crt");
        this.key = this.directory.resolve("server.key");
        this.ca = this.directory.resolve("ca.crt");
        TestPkiFiles.write(Name.SERVER, this.certificate, this.key);
        TestPkiFiles.write(Name.CA, this.ca, null);
    }

    private String[] bundle(String name) {
        return new String[] { "spring.ssl.bundle.pem." + name + ".keystore.certificate=file:" + this.certificate,
                "spring.ssl.bundle.pem." + name + ".keystore.private-key=file:" + this.key,
                "spring.ssl.bundle.pem." + name + ".truststore.certificate=file:" + this.ca };
    }

    private static int port(TLSSocketServer server) throws Exception {
        return server.getLocalAddress().get(10, TimeUnit.SECONDS).port();
    }

    @Test
    void declaredTlsServerAnswersThroughItsListenerAndNamesItselfInEventsMetersAndTheEndpoint() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("socket.servers.secure.ssl.bundle=devices")
            .withUserConfiguration(SecureEcho.class)
            .run((context) -> {
                TLSSocketServer server = context.getBean("secure", TLSSocketServer.class);
                try (SSLSocket client = JdkTlsPeer.connect(TestPkiFiles.trustingCa(), port(server))) {
                    assertThat(JdkTlsPeer.exchange(client, "hello")).isEqualTo("echo: hello");

                    SecureEcho listener = context.getBean(SecureEcho.class);
                    SocketConnectEvent connect = (SocketConnectEvent) listener.events.stream()
                        .filter(SocketConnectEvent.class::isInstance)
                        .findFirst()
                        .orElseThrow();
                    assertThat(connect.getSocket()).isInstanceOf(TLSSocketConnection.class);
                    assertThat(listener.events).allSatisfy((event) -> {
                        assertThat(event.getServerName()).isEqualTo("secure");
                        assertThat(event.getProtocol()).isEqualTo("tls");
                    });
                    SocketDescriptor described = context.getBean(SocketsEndpoint.class).socket(connect.getSocketId());
                    assertThat(described.protocol()).isEqualTo("tls");
                    assertThat(described.tls().protocol()).isEqualTo(client.getSession().getProtocol());
                    assertThat(described.tls().cipherSuite()).isEqualTo(client.getSession().getCipherSuite());
                    assertThat(described.tls().peerCertificateSubject()).as("no client certificate asked for")
                        .isNull();
                }
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("socket.server.connections.accepted")
                    .tags("protocol", "tls", "server", "secure")
                    .functionCounter()
                    .count()).isEqualTo(1.0);
                assertThat(registry.get("socket.tls.handshakes")
                    .tags("server", "secure", "outcome", "success", "code", "none")
                    .timer()
                    .count()).isEqualTo(1);
            });
    }

    @Test
    void clientAuthNeedAdmitsAClientWithACertificateOfTheBundleTrustAndRefusesOneWithout() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("socket.tls.bundle=devices", "socket.servers.secure.ssl.client-auth=need")
            .withUserConfiguration(SecureEcho.class)
            .run((context) -> {
                TLSSocketServer server = context.getBean("secure", TLSSocketServer.class);
                try (SSLSocket client = JdkTlsPeer.connect(TestPkiFiles.trustingCa(Name.CLIENT), port(server))) {
                    assertThat(JdkTlsPeer.exchange(client, "mutual")).isEqualTo("echo: mutual");
                    SecureEcho listener = context.getBean(SecureEcho.class);
                    long id = listener.events.stream()
                        .filter(SocketConnectEvent.class::isInstance)
                        .findFirst()
                        .orElseThrow()
                        .getSocketId();
                    assertThat(context.getBean(SocketsEndpoint.class).socket(id).tls().peerCertificateSubject())
                        .isEqualTo("CN=" + TestPkiFiles.commonName(Name.CLIENT));
                }
                assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
                    try (SSLSocket anonymous = JdkTlsPeer.connect(TestPkiFiles.trustingCa(), port(server))) {
                        // TLS 1.3: the server's refusal arrives after the client's side of the handshake.
                        JdkTlsPeer.exchange(anonymous, "anonymous");
                    }
                });
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(registry.get("socket.tls.handshakes")
                        .tags("server", "secure", "outcome", "failure")
                        .timers()
                        .stream()
                        .mapToLong((timer) -> timer.count())
                        .sum()).isEqualTo(1));
            });
    }

    @Test
    void reloadedBundleGivesTheNextConnectionTheNewCertificate() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("spring.ssl.bundle.pem.devices.reload-on-update=true",
                    "spring.ssl.bundle.watch.file.quiet-period=50ms", "socket.servers.secure.ssl.bundle=devices")
            .withUserConfiguration(SecureEcho.class)
            .run((context) -> {
                int port = port(context.getBean("secure", TLSSocketServer.class));
                try (SSLSocket first = JdkTlsPeer.connect(TestPkiFiles.trustingCa(), port)) {
                    assertThat(subject(first)).isEqualTo(TestPkiFiles.commonName(Name.SERVER));
                    TestPkiFiles.write(Name.RSA_SERVER, this.certificate, this.key);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        try (SSLSocket next = JdkTlsPeer.connect(TestPkiFiles.trustingCa(), port)) {
                            assertThat(subject(next)).isEqualTo(TestPkiFiles.commonName(Name.RSA_SERVER));
                        }
                    });
                    assertThat(JdkTlsPeer.exchange(first, "still here")).as("a session under way keeps its key")
                        .isEqualTo("echo: still here");
                }
            });
    }

    private static String subject(SSLSocket socket) throws SSLException {
        return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
            .getSubjectX500Principal()
            .getName()
            .replaceFirst("^CN=", "");
    }

    @Test
    void tlsServerWithoutAnyBundleStopsTheStartNamingTheKey() {
        this.contextRunner.run((context) -> assertThat(context).getFailure()
            .rootCause()
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("socket.servers.secure.ssl.bundle")
            .hasMessageContaining("is required for protocol tls (or set socket.tls.bundle)"));
    }

    @Test
    void tlsServerNamingAnUnknownBundleStopsTheStartNamingTheKeyAndTheBundles() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("socket.servers.secure.ssl.bundle=device")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.servers.secure.ssl.bundle")
                .hasMessageContaining("'device'")
                .hasMessageContaining("[devices]"));
    }

    @Test
    void sslOfATcpServerStopsTheStartNamingTheKey() {
        this.contextRunner.withPropertyValues(bundle("devices"))
            .withPropertyValues("socket.servers.secure.protocol=tcp", "socket.servers.secure.ssl.bundle=devices")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.servers.secure.ssl.bundle")
                .hasMessageContaining("applies to protocol tls only"));
    }

    @Configuration(proxyBeanMethods = false)
    static class SecureEcho {

        final List<SocketEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SocketEvent event) {
            this.events.add(event);
        }

        @EventListener(condition = "event.serverName == 'secure'")
        void answer(SocketMessageEvent event) {
            ((TLSSocketConnection) event.getSocket()).send("echo: " + event.getMessage().text() + "\n");
        }

    }

}
