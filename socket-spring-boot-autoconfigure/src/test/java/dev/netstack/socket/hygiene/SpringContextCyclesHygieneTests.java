package dev.netstack.socket.hygiene;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.autoconfigure.SocketSettingsCustomizer;
import dev.netstack.socket.autoconfigure.actuate.SocketsEndpointAutoConfiguration;
import dev.netstack.socket.autoconfigure.health.SocketHealthContributorAutoConfiguration;
import dev.netstack.socket.autoconfigure.metrics.SocketMetricsAutoConfiguration;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.health.SocketHealthIndicator;
import dev.netstack.socket.load.NioEchoServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twenty start/stop cycles of a context with every integration (factory, events, meters, health, endpoint), each
 * using UDP and TCP sockets: afterwards the threads and file descriptors are what they were before the first.
 * ({@code SocketFactoryLifecycleTests} checks six cycles of the factory alone with UDP.)
 */
@Timeout(60)
class SpringContextCyclesHygieneTests {

    private static final String PREFIX = "cycles-test-io-";

    private static final int CYCLES = 20;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withUserConfiguration(EverythingApplication.class)
        .withPropertyValues("socket.io-threads=2", "management.endpoints.web.exposure.include=sockets",
                "socket.access.allow=127.0.0.0/8")
        .withBean(SocketSettingsCustomizer.class, () -> (settings) -> settings.threadNamePrefix(PREFIX));

    @Test
    void startingAndStoppingTheContextTwentyTimesLeavesThreadsAndDescriptorsAtBaseline() throws Exception {
        Assumptions.assumeTrue(ProcessCounts.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        try (NioEchoServer echo = new NioEchoServer(64)) {
            // A first cycle loads the classes and starts what Spring and the JDK keep for the life of the process.
            cycle(echo);
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessCounts.threads(PREFIX).isEmpty());
            long descriptorsBefore = ProcessCounts.descriptors();
            List<String> threadsBefore = ProcessCounts.threads();

            for (int i = 0; i < CYCLES; i++) {
                cycle(echo);
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(ProcessCounts.threads(PREFIX)).isEmpty();
                assertThat(ProcessCounts.threads(SocketEventPublisher.THREAD_NAME)).isEmpty();
                assertThat(ProcessCounts.threads()).hasSizeLessThanOrEqualTo(threadsBefore.size());
                assertThat(ProcessCounts.descriptors()).isLessThanOrEqualTo(descriptorsBefore);
                assertThat(echo.open()).isZero();
            });
            assertThat(echo.accepted()).isEqualTo(CYCLES + 1);
        }
    }

    private void cycle(NioEchoServer echo) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        this.contextRunner
            .withBean("messageListener", ApplicationListener.class,
                    () -> (ApplicationListener<SocketMessageEvent>) (event) -> events.add(event.getMessage().text()))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                SocketFactory factory = context.getBean(SocketFactory.class);
                UDPSocket receiver = factory.constructUDPSocketInstance();
                UDPSocket sender = factory.constructUDPSocketInstance();
                receiver.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                sender.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                sender.send(new UDPSendOptions("datagram", receiver.getLocalAddress().get())).get(5, TimeUnit.SECONDS);

                TCPSocket tcp = factory.constructTCPSocketInstance();
                BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
                tcp.on(SocketEventType.MESSAGE, (message) -> echoed.add(message.text()));
                tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", echo.port()))).get(5, TimeUnit.SECONDS);
                tcp.send(new TCPSendOptions("stream")).get(5, TimeUnit.SECONDS);
                assertThat(echoed.poll(5, TimeUnit.SECONDS)).isEqualTo("stream");
                assertThat(List.of(events.poll(5, TimeUnit.SECONDS), events.poll(5, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("datagram", "stream");

                // Every integration does its work once per cycle.
                assertThat(context.getBean(SocketsEndpoint.class).sockets().sockets()).hasSize(3);
                assertThat(context.getBean(SocketHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
                assertThat(context.getBean(MeterRegistry.class).get("socket.active").tag("protocol", "tcp").gauge().value())
                    .isEqualTo(1);
                // Sockets are left open on purpose: closing the context must close them.
            });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
            SocketHealthContributorAutoConfiguration.class, SocketsEndpointAutoConfiguration.class,
            MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class })
    static class EverythingApplication {

    }

}
