package dev.netstack.socket.autoconfigure.health;

import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.autoconfigure.SocketProperties;
import dev.netstack.socket.health.SocketHealthIndicator;
import dev.netstack.socket.nio.NioSocketFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link SocketHealthIndicator}, contributed as
 * {@code socket} (switch: {@code management.health.socket.enabled}).
 */
@AutoConfiguration(after = SocketAutoConfiguration.class)
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(NioSocketFactory.class)
@ConditionalOnEnabledHealthIndicator("socket")
@EnableConfigurationProperties(SocketProperties.class)
public final class SocketHealthContributorAutoConfiguration {

    // The bean name makes the contributor name: "socketHealthIndicator" is contributed as "socket".
    @Bean
    @ConditionalOnMissingBean(name = { "socketHealthIndicator", "socketHealthContributor" })
    SocketHealthIndicator socketHealthIndicator(NioSocketFactory socketFactory, SocketProperties properties) {
        return new SocketHealthIndicator(socketFactory, properties.getHealth().getLoopTimeout());
    }

}
