package dev.netstack.socket.autoconfigure.health;

import java.time.Duration;

import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.health.SocketHealthIndicator;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health auto-configuration's conditions; without the health module on the class path, see
 * {@code SocketAutoConfigurationClassPathTests}.
 */
@Timeout(30)
class SocketHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class,
                SocketHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                HealthContributorRegistryAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1");

    @Test
    void runShouldContributeIndicatorNamedSocket() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(SocketHealthIndicator.class);
            HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
            assertThat(registry.getContributor("socket")).isSameAs(context.getBean(SocketHealthIndicator.class));
            assertThat(((HealthIndicator) registry.getContributor("socket")).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void runWithLoopTimeoutShouldUseIt() {
        this.contextRunner.withPropertyValues("socket.health.loop-timeout=250ms").run((context) -> {
            context.getBean(NioSocketFactory.class).close();
            Health health = context.getBean(SocketHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void runWhenIndicatorDisabledShouldNotCreateIndicator() {
        this.contextRunner.withPropertyValues("management.health.socket.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketHealthIndicator.class));
    }

    @Test
    void runWhenDefaultIndicatorsDisabledShouldNotCreateIndicator() {
        this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketHealthIndicator.class));
    }

    @Test
    void runWhenSocketsDisabledShouldNotCreateIndicator() {
        this.contextRunner.withPropertyValues("socket.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketHealthIndicator.class));
    }

    @Test
    void runWhenUserDefinesIndicatorShouldBackOff() {
        this.contextRunner.withBean("socketHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
            .run((context) -> {
                assertThat(context).doesNotHaveBean(SocketHealthIndicator.class);
                assertThat(context).hasBean("socketHealthIndicator");
            });
    }

    @Test
    void runShouldBindLoopTimeoutDefault() {
        this.contextRunner.run((context) -> assertThat(context.getBean(
                dev.netstack.socket.autoconfigure.SocketProperties.class).getHealth().getLoopTimeout())
            .isEqualTo(Duration.ofSeconds(1)));
    }

}
