package dev.netstack.socket.autoconfigure.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.netstack.socket.autoconfigure.DeclaredServerProperties;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.autoconfigure.SocketProperties;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.metrics.SocketConnectMetrics;
import dev.netstack.socket.metrics.SocketHandshakeMetrics;
import dev.netstack.socket.metrics.SocketMetrics;
import dev.netstack.socket.metrics.SocketServerMetrics;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the socket meters. Ordered by name after Boot's metrics
 * auto-configurations, so that the {@link MeterRegistry} bean is known here and an absent metrics module cannot break
 * the start.
 */
@AutoConfiguration(after = SocketAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ NioSocketFactory.class, MeterRegistry.class })
public final class SocketMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SocketMetrics socketMetrics(NioSocketFactory socketFactory, ObjectProvider<SocketEventPublisher> eventPublisher) {
        SocketEventPublisher events = eventPublisher.getIfAvailable();
        if (events == null) {
            return new SocketMetrics(socketFactory);
        }
        return new SocketMetrics(socketFactory, events::droppedEvents, events::listenerFailures);
    }

    @Bean
    @ConditionalOnMissingBean
    SocketServerMetrics socketServerMetrics(NioSocketFactory socketFactory, SocketProperties properties) {
        return new SocketServerMetrics(socketFactory, declared(properties));
    }

    // A socket observer: the factory bean takes it when it is made, the registry binds it later.
    @Bean
    @ConditionalOnMissingBean
    SocketConnectMetrics socketConnectMetrics() {
        return new SocketConnectMetrics();
    }

    // A socket observer too, for the TLS handshakes of clients and of every server's connections.
    @Bean
    @ConditionalOnMissingBean
    SocketHandshakeMetrics socketHandshakeMetrics(SocketProperties properties) {
        Map<String, Protocol> declared = declared(properties);
        return new SocketHandshakeMetrics(
                declared.keySet().stream().filter((name) -> declared.get(name) == Protocol.TLS).toList());
    }

    /** The declared servers by name, with the protocol of their meters' tag. */
    private static Map<String, Protocol> declared(SocketProperties properties) {
        Map<String, Protocol> declared = new LinkedHashMap<>();
        properties.getServers()
            .forEach((name, server) -> declared.put(name, switch (server.getProtocol()) {
                case TLS -> Protocol.TLS;
                case LOCAL -> Protocol.LOCAL;
                default -> Protocol.TCP;
            }));
        return declared;
    }

}
