package dev.netstack.socket.autoconfigure;

import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * YAML 1.1 reads an unquoted key {@code on} as the boolean {@code true}; the linger switch still binds, so the
 * example of DESIGN.md ({@code socket-linger: { on: true, linger: 10 }}) means what it says.
 */
@Timeout(60)
class SocketLingerYamlTests {

    @Test
    void unquotedOnKeyInYamlBindsTheLingerSwitch() {
        SpringApplicationBuilder application = new SpringApplicationBuilder(SocketsApplication.class)
            .web(WebApplicationType.NONE)
            .properties("spring.config.name=socket-linger", "spring.main.banner-mode=off");
        try (ConfigurableApplicationContext context = application.run()) {
            NioSocketFactory factory = (NioSocketFactory) context.getBean(SocketFactory.class);
            assertThat(factory.settings().tcpDefaults().getSocketLinger()).isEqualTo(new SocketLinger(false, 10));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class SocketsApplication {

    }

}
