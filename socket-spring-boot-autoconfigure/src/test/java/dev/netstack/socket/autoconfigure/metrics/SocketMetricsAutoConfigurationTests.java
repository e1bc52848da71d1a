package dev.netstack.socket.autoconfigure.metrics;

import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.metrics.SocketConnectMetrics;
import dev.netstack.socket.metrics.SocketHandshakeMetrics;
import dev.netstack.socket.metrics.SocketMetrics;
import dev.netstack.socket.nio.NioSocketFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SocketMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1");

    @Test
    void runWithMeterRegistryShouldBindSocketMeters() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(SocketMetrics.class);
            assertThat(context).hasSingleBean(SocketConnectMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("socket.bytes.received").tag("protocol", "udp").functionCounter().count()).isZero();
            assertThat(registry.get("socket.active").tag("protocol", "tcp").gauge().value()).isZero();
            assertThat(registry.get("socket.connect").tags("outcome", "failure").timer().count()).isZero();
            assertThat(registry.get("socket.events.dropped").functionCounter().count()).isZero();
            assertThat(registry.get("socket.tls.handshakes").tags("outcome", "success", "server", "").timer().count())
                .isZero();
            // The connect and handshake timers are fed by the factory: they must be among its observers.
            assertThat(context.getBean(NioSocketFactory.class).settings().observers())
                .contains(context.getBean(SocketConnectMetrics.class), context.getBean(SocketHandshakeMetrics.class));
        });
    }

    @Test
    void runWithoutMeterRegistryShouldNotCreateMetrics() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).doesNotHaveBean(SocketMetrics.class);
                assertThat(context).doesNotHaveBean(SocketConnectMetrics.class);
            });
    }

    @Test
    void runWithoutMicrometerShouldNotCreateMetrics() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("io.micrometer"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).doesNotHaveBean(SocketMetrics.class);
            });
    }

    @Test
    void runWhenSocketsDisabledShouldNotCreateMetrics() {
        this.contextRunner.withPropertyValues("socket.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(MeterRegistry.class);
            assertThat(context).doesNotHaveBean(SocketMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find("socket.bytes.received").meters()).isEmpty();
        });
    }

    @Test
    void runWhenEventsDisabledShouldStillBindMeters() {
        this.contextRunner.withPropertyValues("socket.events.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(SocketMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).get("socket.events.dropped").functionCounter().count())
                .isZero();
        });
    }

    @Test
    void runWhenUserDefinesSocketMetricsShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class)
            .run((context) -> assertThat(context).getBean(SocketMetrics.class)
                .isSameAs(context.getBean("userSocketMetrics")));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        SocketMetrics userSocketMetrics(NioSocketFactory socketFactory) {
            return new SocketMetrics(socketFactory);
        }

    }

}
