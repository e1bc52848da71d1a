package dev.netstack.socket.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.autoconfigure.metrics.SocketMetricsAutoConfiguration;
import dev.netstack.socket.event.SocketCloseEvent;
import dev.netstack.socket.event.SocketConnectEvent;
import dev.netstack.socket.event.SocketEvent;
import dev.netstack.socket.event.SocketListeningEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.nio.NioSocketFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Servers declared under {@code socket.servers}: a bean of each name, listening from the start until the context
 * closes, answered by an {@code @EventListener} alone, with events and meters that carry the name.
 */
@Timeout(60)
class DeclaredServersTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=2", "socket.servers.lines.address=127.0.0.1",
                "socket.servers.lines.port=0");

    @Test
    void declaredServerListensAndAnEventListenerAnswersIt() {
        this.contextRunner.withUserConfiguration(EchoListener.class).run((context) -> {
            TCPSocketServer server = context.getBean("lines", TCPSocketServer.class);
            assertThat(server.getState().get(10, TimeUnit.SECONDS).isBound()).isTrue();
            int port = server.getLocalAddress().get(10, TimeUnit.SECONDS).port();
            try (Socket peer = new Socket("127.0.0.1", port)) {
                OutputStream out = peer.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("echo: hello");
            }
            EchoListener listener = context.getBean(EchoListener.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events.stream()
                .anyMatch((event) -> event instanceof SocketCloseEvent && event.getServer() != null));
            assertThat(listener.events).first().isInstanceOf(SocketListeningEvent.class);
            assertThat(listener.events).allSatisfy((event) -> assertThat(event.getServerName()).isEqualTo("lines"));
            SocketConnectEvent connect = (SocketConnectEvent) listener.events.stream()
                .filter(SocketConnectEvent.class::isInstance)
                .findFirst()
                .orElseThrow();
            assertThat(connect.getSocket()).isInstanceOf(TCPSocketConnection.class);
            assertThat(connect.getServer()).isSameAs(server);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("socket.server.connections.accepted").tag("server", "lines").functionCounter()
                .count()).isEqualTo(1.0);
            assertThat(registry.get("socket.server.connections.open").tag("server", "lines").gauge().value())
                .isEqualTo(0.0);
        });
    }

    @Test
    void closingTheContextClosesTheServer() {
        this.contextRunner.run((context) -> {
            TCPSocketServer server = context.getBean("lines", TCPSocketServer.class);
            NetAddress address = server.getLocalAddress().get(10, TimeUnit.SECONDS);
            context.close();
            assertThat(server.getState().get(10, TimeUnit.SECONDS).isClose()).isTrue();
            NioSocketFactory other = NioSocketFactory.create();
            try {
                TCPSocketServer again = other.constructTCPSocketServerInstance();
                again.listen(new NetAddress("127.0.0.1", address.port())).get(10, TimeUnit.SECONDS);
            }
            finally {
                other.close();
            }
        });
    }

    @Test
    void aPortOutOfRangeStopsTheStartNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.servers.lines.port=70000").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.servers.lines.port")
                .hasMessageContaining("70000");
        });
    }

    @Test
    void anAddressThatIsNoLiteralStopsTheStartNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.servers.lines.address=not-a-literal.example").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.servers.lines.address")
                .hasMessageContaining("not-a-literal.example");
        });
    }

    @Test
    void aPortInUseStopsTheStartNamingTheKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            this.contextRunner.withPropertyValues("socket.servers.lines.port=" + taken.getLocalPort())
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("socket.servers.lines.port")
                        .hasMessageContaining("2303198");
                });
        }
    }

    @Test
    void aDeclaredFramingMakesEveryMessageEventOneWholeLine() {
        this.contextRunner.withUserConfiguration(EchoListener.class)
            .withPropertyValues("socket.servers.lines.framing.type=lines", "socket.servers.lines.framing.max-length=64B")
            .run((context) -> {
                TCPSocketServer server = context.getBean("lines", TCPSocketServer.class);
                int port = server.getLocalAddress().get(10, TimeUnit.SECONDS).port();
                try (Socket peer = new Socket("127.0.0.1", port)) {
                    OutputStream out = peer.getOutputStream();
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
                    // Cut in the middle of lines, and two lines in one write: the events still carry whole lines.
                    out.write("he".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.write("llo\r\nwor".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.write("ld\nagain\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // The listener answers each message with a line of its own: one per frame.
                    assertThat(in.readLine()).isEqualTo("echo: hello");
                    assertThat(in.readLine()).isEqualTo("echo: world");
                    assertThat(in.readLine()).isEqualTo("echo: again");
                }
            });
    }

    @Test
    void aBadFramingValueStopsTheStartNamingTheKey() {
        this.contextRunner
            .withPropertyValues("socket.servers.lines.framing.type=length-field",
                    "socket.servers.lines.framing.field-bytes=3")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("socket.servers.lines.framing.field-bytes")
                    .hasMessageContaining("3");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoListener {

        final List<SocketEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SocketEvent event) {
            this.events.add(event);
        }

        @EventListener(condition = "event.serverName == 'lines'")
        void answer(SocketMessageEvent event) {
            // Without framing a read may hold the whole line with its end; with lines framing the end is gone.
            String text = event.getMessage().text().strip();
            ((TCPSocketConnection) event.getSocket()).send(new TCPSendOptions("echo: " + text + "\n"));
        }

    }

}
