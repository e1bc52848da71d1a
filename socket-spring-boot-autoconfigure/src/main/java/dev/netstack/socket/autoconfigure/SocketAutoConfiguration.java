package dev.netstack.socket.autoconfigure;

import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link SocketFactory} bean: a {@link NioSocketFactory}
 * set up from the {@code socket.*} properties, closed with the context, whose sockets publish their events as
 * application events.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "socket.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SocketProperties.class)
public final class SocketAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "socket.events.enabled", matchIfMissing = true)
    static class SocketEventsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SocketEventPublisher socketEventPublisher(ApplicationEventPublisher applicationEventPublisher,
                SocketProperties properties) {
            SocketProperties.Events events = properties.getEvents();
            int capacity = events.getQueueCapacity();
            if (capacity < 1 || capacity > SocketEventPublisher.LIMIT_MAX_EVENTS) {
                throw new InvalidConfigurationPropertyValueException("socket.events.queue-capacity", capacity,
                        "must be between 1 and " + SocketEventPublisher.LIMIT_MAX_EVENTS);
            }
            DataSize limit = events.getQueueLimit();
            if (limit == null || limit.toBytes() < 1 || limit.toBytes() > SocketEventPublisher.LIMIT_MAX_BYTES) {
                throw new InvalidConfigurationPropertyValueException("socket.events.queue-limit", limit,
                        "must be between 1 and " + SocketEventPublisher.LIMIT_MAX_BYTES + " bytes");
            }
            return new SocketEventPublisher(applicationEventPublisher, properties.getShutdownTimeout(), capacity,
                    limit.toBytes());
        }

    }

    private static final String TLS_BUNDLE = "socket.tls.bundle";

    /**
     * Returns the application's SSL bundles for a key that names one.
     * @throws InvalidConfigurationPropertyValueException naming the key when the application has none
     */
    static SslBundles requireBundles(ObjectProvider<SslBundles> sslBundles, String key, String bundle) {
        SslBundles bundles = sslBundles.getIfAvailable();
        if (bundles == null) {
            throw SocketSettingsMapper.invalid(key, bundle,
                    "names an SSL bundle, but the application has no SslBundles bean (spring.ssl.bundle.*)");
        }
        return bundles;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SocketFactory.class)
    static class SocketFactoryConfiguration {

        @Bean(destroyMethod = "close")
        NioSocketFactory socketFactory(SocketProperties properties, ObjectProvider<SocketObserver> observers,
                ObjectProvider<SocketSettingsCustomizer> customizers, ObjectProvider<SslBundles> sslBundles) {
            // Checked here, while the context starts, so that a bad value never waits for the first socket.
            SocketSettings.Builder settings = SocketSettingsMapper.toBuilder(properties);
            String bundle = properties.getTls().getBundle();
            if (bundle != null) {
                settings.tlsDefaults(SslBundleTlsDefaults.of(requireBundles(sslBundles, TLS_BUNDLE, bundle),
                        TLS_BUNDLE, bundle, false));
            }
            observers.orderedStream().forEach(settings::observer);
            customizers.orderedStream().forEach((customizer) -> customizer.customize(settings));
            return new NioSocketFactory(settings.build());
        }

        @Bean
        SocketFactoryLifecycle socketFactoryLifecycle(NioSocketFactory socketFactory, SocketProperties properties) {
            return new SocketFactoryLifecycle(socketFactory, properties.getShutdownTimeout());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Import(DeclaredServersRegistrar.class)
    static class DeclaredServersConfiguration {

        @Bean(DeclaredServersRegistrar.DECLARED_SERVERS)
        @ConditionalOnMissingBean
        DeclaredServers declaredServers(SocketFactory socketFactory, SocketProperties properties,
                ObjectProvider<SslBundles> sslBundles) {
            return new DeclaredServers(socketFactory, properties.getServers(), properties.getShutdownTimeout(),
                    properties.getTls().getBundle(), (key, bundle, clientAuth) -> SslBundleTlsDefaults
                        .of(requireBundles(sslBundles, key, bundle), key, bundle, clientAuth));
        }

    }

}
