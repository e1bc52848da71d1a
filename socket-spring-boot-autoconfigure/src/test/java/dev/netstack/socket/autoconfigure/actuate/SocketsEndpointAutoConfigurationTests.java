package dev.netstack.socket.autoconfigure.actuate;

import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint auto-configuration's conditions; without Actuator on the class path, see
 * {@code SocketAutoConfigurationClassPathTests}.
 */
@Timeout(30)
class SocketsEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class, SocketsEndpointAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1");

    @Test
    void runWhenExposedShouldCreateEndpoint() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sockets")
            .run((context) -> assertThat(context).hasSingleBean(SocketsEndpoint.class));
    }

    @Test
    void runWhenNotExposedShouldNotCreateEndpoint() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SocketsEndpoint.class));
    }

    @Test
    void runWhenAccessIsNoneShouldNotCreateEndpoint() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=sockets", "management.endpoint.sockets.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketsEndpoint.class));
    }

    @Test
    void runWhenSocketsDisabledShouldNotCreateEndpoint() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sockets", "socket.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketsEndpoint.class));
    }

    @Test
    void runWhenUserDefinesEndpointShouldBackOff() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sockets")
            .withUserConfiguration(UserEndpointConfiguration.class)
            .run((context) -> assertThat(context).getBean(SocketsEndpoint.class)
                .isSameAs(context.getBean("userSocketsEndpoint")));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpointConfiguration {

        @Bean
        SocketsEndpoint userSocketsEndpoint(NioSocketFactory socketFactory) {
            return new SocketsEndpoint(socketFactory);
        }

    }

}
