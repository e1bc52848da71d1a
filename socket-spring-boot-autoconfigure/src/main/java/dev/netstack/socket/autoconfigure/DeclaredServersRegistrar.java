package dev.netstack.socket.autoconfigure;

import java.util.Map;

import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.TLSSocketServer;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers a bean for each declared server, named as its key under {@code socket.servers}, so that an application
 * can inject {@code @Qualifier("telemetry") TCPSocketServer} ({@code TLSSocketServer} for {@code protocol: tls},
 * {@code LocalSocketServer} for {@code protocol: local}). The names and kinds are read from the environment here, as
 * bean definitions must exist before any bean is made; {@link DeclaredServers} makes the servers.
 */
final class DeclaredServersRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    /** The name of the {@link DeclaredServers} bean, whose {@code server} and {@code tlsServer} make the servers. */
    static final String DECLARED_SERVERS = "declaredServers";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, Object> declared = Binder.get(this.environment)
            .bind("socket.servers", Bindable.mapOf(String.class, Object.class))
            .orElse(Map.of());
        for (String name : declared.keySet()) {
            if (registry.containsBeanDefinition(name)) {
                continue;
            }
            DeclaredServerProperties.Protocol protocol = Binder.get(this.environment)
                .bind("socket.servers." + name + ".protocol", DeclaredServerProperties.Protocol.class)
                .orElse(DeclaredServerProperties.Protocol.TCP);
            // A factory method rather than an instance supplier, so that ahead-of-time processing can write it as code.
            RootBeanDefinition definition = new RootBeanDefinition(switch (protocol) {
                case TLS -> TLSSocketServer.class;
                case LOCAL -> LocalSocketServer.class;
                default -> TCPSocketServer.class;
            });
            definition.setFactoryBeanName(DECLARED_SERVERS);
            definition.setFactoryMethodName(switch (protocol) {
                case TLS -> "tlsServer";
                case LOCAL -> "localServer";
                default -> "server";
            });
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            registry.registerBeanDefinition(name, definition);
        }
    }

}
