package dev.netstack.socket.autoconfigure.actuate;

import dev.netstack.socket.actuate.SocketsEndpoint;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.nio.NioSocketFactory;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link SocketsEndpoint}. Available when enabled and
 * exposed, as every endpoint: over HTTP only once the application adds {@code sockets} to
 * {@code management.endpoints.web.exposure.include}.
 */
@AutoConfiguration(after = SocketAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(NioSocketFactory.class)
@ConditionalOnAvailableEndpoint(SocketsEndpoint.class)
public final class SocketsEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SocketsEndpoint socketsEndpoint(NioSocketFactory socketFactory) {
        return new SocketsEndpoint(socketFactory);
    }

}
