package dev.netstack.socket.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketConnection;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.actuate.SocketsEndpoint;
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
import org.junit.jupiter.api.io.TempDir;

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
 * A local server declared under {@code socket.servers} ({@code protocol: local}, {@code path}): a bean of its name,
 * answered by an {@code @EventListener}, with events that say "local" and tell the path, meters tagged
 * {@code protocol} = {@code local}, the {@code sockets} endpoint, and a socket file that goes with the context.
 */
@Timeout(60)
class LocalDeclaredServersTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner contextRunner(String path) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("socket.io-threads=2", "socket.servers.agent.protocol=local",
                    "socket.servers.agent.path=" + path, "socket.servers.agent.framing.type=lines");
    }

    @Test
    void declaredLocalServerIsAnsweredByAListenerWithEventsMetersAndTheEndpoint() {
        String path = this.dir.resolve("agent.sock").toString();
        contextRunner(path).withUserConfiguration(EchoListener.class).run((context) -> {
            LocalSocketServer server = context.getBean("agent", LocalSocketServer.class);
            assertThat(server.getLocalAddress().get(10, TimeUnit.SECONDS)).isEqualTo(path);
            LocalSocket client = context.getBean(SocketFactory.class).constructLocalSocketInstance();
            CompletableFuture<String> answer = new CompletableFuture<>();
            client.on(LocalSocket.MESSAGE, (message) -> answer.complete(message.text()));
            client.connect(new LocalConnectOptions(new LocalAddress(path))).get(10, TimeUnit.SECONDS);
            client.send(new LocalSendOptions("hello\n")).get(10, TimeUnit.SECONDS);
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello\n");
            SocketsEndpoint.SocketsDescriptor sockets = new SocketsEndpoint(context.getBean(NioSocketFactory.class))
                .sockets();
            assertThat(sockets.sockets()).filteredOn((socket) -> "server".equals(socket.kind()))
                .singleElement()
                .satisfies((described) -> {
                    assertThat(described.protocol()).isEqualTo("local");
                    assertThat(described.name()).isEqualTo("agent");
                    assertThat(described.localAddress().address()).isEqualTo(path);
                    assertThat(described.connections()).isEqualTo(1);
                });
            client.close().get(10, TimeUnit.SECONDS);
            EchoListener listener = context.getBean(EchoListener.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.events.stream()
                .anyMatch((event) -> event instanceof SocketCloseEvent && event.getServer() != null));
            assertThat(listener.events).first().isInstanceOf(SocketListeningEvent.class);
            assertThat(listener.events).allSatisfy((event) -> {
                assertThat(event.getServerName()).isEqualTo("agent");
                assertThat(event.getProtocol()).isEqualTo("local");
            });
            assertThat(listener.events).filteredOn(SocketConnectEvent.class::isInstance)
                .singleElement()
                .satisfies((connect) -> assertThat(connect.getSource()).isInstanceOf(LocalSocketConnection.class));
            SocketMessageEvent message = (SocketMessageEvent) listener.events.stream()
                .filter(SocketMessageEvent.class::isInstance)
                .findFirst()
                .orElseThrow();
            assertThat(message.getLocalMessage().address()).isEqualTo(path);
            assertThat(message.getMessage().remoteInfo().address()).isEqualTo(path);
            assertThat(message.getMessage().text()).isEqualTo("hello");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("socket.server.connections.accepted").tags("server", "agent", "protocol", "local")
                .functionCounter()
                .count()).isEqualTo(1.0);
            assertThat(registry.get("socket.bytes.received").tag("protocol", "local").functionCounter().count())
                .isEqualTo(2 * "hello\n".length() + "echo: ".length());
            assertThat(registry.get("socket.connect").tags("protocol", "local", "outcome", "success").timer().count())
                .isEqualTo(1);
        });
        assertThat(Path.of(path)).doesNotExist();
    }

    @Test
    void aLocalServerWithoutPathStopsTheStartNamingTheKey() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class))
            .withPropertyValues("socket.servers.agent.protocol=local")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("socket.servers.agent.path");
            });
    }

    @Test
    void aPortOnALocalServerStopsTheStartNamingTheKey() {
        contextRunner(this.dir.resolve("port.sock").toString()).withPropertyValues("socket.servers.agent.port=7000")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("socket.servers.agent.port")
                    .hasMessageContaining("7000");
            });
    }

    @Test
    void aPathInAMissingDirectoryStopsTheStartNamingTheKeyAndTheCode() {
        String path = this.dir.resolve("missing/agent.sock").toString();
        contextRunner(path).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("socket.servers.agent.path")
                .hasMessageContaining("2301002");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoListener {

        final List<SocketEvent> events = new CopyOnWriteArrayList<>();

        @EventListener(condition = "event.serverName == 'agent'")
        void onEvent(SocketEvent event) {
            this.events.add(event);
        }

        @EventListener(condition = "event.serverName == 'agent'")
        void onLine(SocketMessageEvent event) {
            LocalSocketConnection connection = event.getSocket(LocalSocketConnection.class);
            connection.send(new LocalSendOptions("echo: " + event.getMessage().text() + "\n"));
        }

    }

}
