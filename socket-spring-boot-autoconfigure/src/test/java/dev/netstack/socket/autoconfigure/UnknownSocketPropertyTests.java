package dev.netstack.socket.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;

import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A key under {@code socket} that the starter does not have, at any depth, stops the application while it starts:
 * Boot's failure analysis names the key, its value and where it was set. Every key that the starter documents still
 * binds, in every form that bound before.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class UnknownSocketPropertyTests {

    @Test
    void typoInApplicationYmlStopsTheStartNamingKeyValueAndLine(CapturedOutput output) {
        SpringApplicationBuilder application = application("spring.config.name=typo-socket");
        assertThatException().isThrownBy(application::run)
            .havingRootCause()
            .isInstanceOf(UnboundConfigurationPropertiesException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: socket.tcp.conect-timeout")
            .contains("Value: \"1s\"")
            .contains("typo-socket.yml] - 5:21")
            .contains("The elements [socket.tcp.conect-timeout] were left unbound.");
    }

    @ParameterizedTest
    @CsvSource({ "socket.io-thread, 2", "socket.tcp.conect-timeout, 1s", "socket.udp.extra-options.keep-alive, true",
            "socket.tcp.extra-options.socket-linger.lingr, 10", "socket.acess.allow, 127.0.0.1",
            "socket.health.loop-timout, 1s" })
    void unknownKeyOnTheCommandLineStopsTheStartNamingIt(String key, String value, CapturedOutput output) {
        SpringApplicationBuilder application = application();
        assertThatException().isThrownBy(() -> application.run("--" + key + "=" + value))
            .havingRootCause()
            .isInstanceOf(UnboundConfigurationPropertiesException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: " + key)
            .contains("The elements [" + key + "] were left unbound.");
    }

    @Test
    void everyDocumentedKeyStillBinds() throws Exception {
        try (ConfigurableApplicationContext context = application("spring.config.name=every-socket-key").run()) {
            SocketSettings settings = settings(context);
            assertThat(settings.ioThreads()).isEqualTo(1);
            assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(settings.sendQueueLimit()).isEqualTo(1024 * 1024);
            UDPExtraOptions udp = settings.udpDefaults();
            assertThat(udp.getBroadcast()).isTrue();
            assertThat(udp.getReceiveBufferSize()).isEqualTo(65536);
            assertThat(udp.getSendBufferSize()).isEqualTo(32 * 1024);
            assertThat(udp.getReuseAddress()).isTrue();
            assertThat(udp.getSocketTimeout()).isEqualTo(20000);
            TCPExtraOptions tcp = settings.tcpDefaults();
            assertThat(tcp.getKeepAlive()).isTrue();
            assertThat(tcp.getOOBInline()).isFalse();
            assertThat(tcp.getTCPNoDelay()).isTrue();
            // The bare YAML key `on`, which YAML reads as `true`.
            assertThat(tcp.getSocketLinger()).isEqualTo(new SocketLinger(true, 10));
            assertThat(tcp.getReceiveBufferSize()).isEqualTo(64 * 1024);
            assertThat(tcp.getSocketTimeout()).isEqualTo(15000);
            AccessPolicy policy = settings.accessPolicy();
            assertThat(permits(policy, "198.51.100.3", 53)).isTrue();
            assertThat(permits(policy, "198.51.100.3", 54)).isFalse();
            assertThat(permits(policy, "198.51.100.1", 53)).isFalse();
            assertThat(permits(policy, "::1", 80)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "--socket.access.allow=198.51.100.0/24,203.0.113.0/24",
            "--socket.access.allow[0]=198.51.100.0/24 --socket.access.allow[1]=203.0.113.0/24" })
    void accessListsBindAsCommaSeparatedOrIndexedKeys(String commandLine) throws Exception {
        try (ConfigurableApplicationContext context = application().run(commandLine.split(" "))) {
            AccessPolicy policy = settings(context).accessPolicy();
            assertThat(permits(policy, "198.51.100.3", 53)).isTrue();
            assertThat(permits(policy, "203.0.113.1", 53)).isTrue();
            assertThat(permits(policy, "192.0.2.1", 53)).isFalse();
        }
    }

    @Test
    void shorterListOnTheCommandLineReplacesTheListOfApplicationYml() throws Exception {
        // The file's entries 1 and 2 are left unbound, yet they are no typo: the command line replaced the list.
        try (ConfigurableApplicationContext context = application("spring.config.name=every-socket-key")
            .run("--socket.access.allow=203.0.113.0/24")) {
            AccessPolicy policy = settings(context).accessPolicy();
            assertThat(permits(policy, "203.0.113.1", 53)).isTrue();
            assertThat(permits(policy, "127.0.0.1", 53)).isFalse();
        }
    }

    private static SpringApplicationBuilder application(String... properties) {
        return new SpringApplicationBuilder(SocketsApplication.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "socket.io-threads=1")
            .properties(properties);
    }

    private static boolean permits(AccessPolicy policy, String literal, int port) throws Exception {
        return policy.permits(InetAddress.getByName(literal), port);
    }

    private static SocketSettings settings(ConfigurableApplicationContext context) {
        return ((NioSocketFactory) context.getBean(SocketFactory.class)).settings();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class SocketsApplication {

    }

}
