package dev.netstack.socket.autoconfigure;

import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.autoconfigure.actuate.SocketsEndpointAutoConfiguration;
import dev.netstack.socket.autoconfigure.health.SocketHealthContributorAutoConfiguration;
import dev.netstack.socket.autoconfigure.metrics.SocketMetricsAutoConfiguration;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.health.SocketHealthIndicator;
import dev.netstack.socket.metrics.SocketConnectMetrics;
import dev.netstack.socket.metrics.SocketMetrics;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configurations imported by name, as {@code @EnableAutoConfiguration} imports them (so that their class
 * conditions are checked before anything is loaded), with optional libraries hidden from the class loader: what is
 * missing backs off and the rest still works. Boot's own auto-configurations of a hidden module are left out, as
 * they would be with its jar absent.
 */
@Timeout(60)
class SocketAutoConfigurationClassPathTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withPropertyValues("socket.io-threads=1", "management.endpoints.web.exposure.include=sockets");

    @Test
    void runWithEverythingShouldCreateEveryIntegration() {
        this.contextRunner.withUserConfiguration(MetricsAndHealthApplication.class).run((context) -> {
            assertThat(context).hasSingleBean(NioSocketFactory.class);
            assertThat(context).hasSingleBean(SocketEventPublisher.class);
            assertThat(context).hasSingleBean(SocketMetrics.class);
            assertThat(context).hasSingleBean(SocketConnectMetrics.class);
            assertThat(context).hasSingleBean(SocketHealthIndicator.class);
            assertThat(context).hasSingleBean(SocketsEndpoint.class);
        });
    }

    @Test
    void runWithoutMicrometerShouldNotCreateMetrics() {
        this.contextRunner.withUserConfiguration(HealthApplication.class)
            .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.micrometer"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).hasSingleBean(SocketEventPublisher.class);
                assertThat(context).doesNotHaveBean(SocketMetrics.class);
                assertThat(context).doesNotHaveBean(SocketConnectMetrics.class);
                assertThat(context).hasSingleBean(SocketHealthIndicator.class);
                assertThat(context).hasSingleBean(SocketsEndpoint.class);
            });
    }

    @Test
    void runWithoutHealthModuleShouldNotCreateIndicator() {
        this.contextRunner.withUserConfiguration(MetricsApplication.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).doesNotHaveBean("socketHealthIndicator");
                assertThat(context).hasSingleBean(SocketMetrics.class);
                assertThat(context).hasSingleBean(SocketsEndpoint.class);
            });
    }

    @Test
    void runWithoutActuatorShouldNotCreateEndpoint() {
        this.contextRunner.withUserConfiguration(MetricsAndHealthApplication.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).doesNotHaveBean("socketsEndpoint");
                assertThat(context).hasSingleBean(SocketMetrics.class);
                assertThat(context).hasSingleBean(SocketHealthIndicator.class);
            });
    }

    @Test
    void runWithoutActuatorHealthAndMicrometerShouldCreateFactoryAndEvents() {
        this.contextRunner.withUserConfiguration(SocketsOnlyApplication.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health",
                    "org.springframework.boot.micrometer", "io.micrometer"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).hasSingleBean(SocketEventPublisher.class);
                assertThat(context).doesNotHaveBean("socketMetrics");
                assertThat(context).doesNotHaveBean("socketHealthIndicator");
                assertThat(context).doesNotHaveBean("socketsEndpoint");
            });
    }

    @Test
    void runWhenEndpointNotExposedShouldNotCreateIt() {
        new ApplicationContextRunner().withUserConfiguration(MetricsAndHealthApplication.class)
            .withPropertyValues("socket.io-threads=1")
            .run((context) -> {
                assertThat(context).hasSingleBean(NioSocketFactory.class);
                assertThat(context).doesNotHaveBean(SocketsEndpoint.class);
            });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
            SocketHealthContributorAutoConfiguration.class, SocketsEndpointAutoConfiguration.class,
            MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class })
    static class MetricsAndHealthApplication {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
            SocketHealthContributorAutoConfiguration.class, SocketsEndpointAutoConfiguration.class,
            MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class })
    static class MetricsApplication {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
            SocketHealthContributorAutoConfiguration.class, SocketsEndpointAutoConfiguration.class,
            HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class })
    static class HealthApplication {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ SocketAutoConfiguration.class, SocketMetricsAutoConfiguration.class,
            SocketHealthContributorAutoConfiguration.class, SocketsEndpointAutoConfiguration.class })
    static class SocketsOnlyApplication {

    }

}
