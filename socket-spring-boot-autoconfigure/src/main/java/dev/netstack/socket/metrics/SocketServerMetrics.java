package dev.netstack.socket.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of a {@link NioSocketFactory}'s servers: connections accepted, refused ({@code reason} = {@code limit} |
 * {@code policy}) and open, tagged {@code protocol} and {@code server}. A declared server has its own meters, tagged
 * with its name; the servers an application makes in code share the meters tagged {@code server} = {@code ""}. Every
 * meter of a name carries the same tag keys, as registries such as Prometheus require.
 */
public class SocketServerMetrics implements MeterBinder {

    /** The protocols of servers, each with meters for the servers made in code. */
    private static final List<Protocol> SERVER_PROTOCOLS = List.of(Protocol.TCP, Protocol.TLS, Protocol.LOCAL);

    private final NioSocketFactory factory;

    private final Map<String, Protocol> declared;

    /**
     * Creates a binder.
     * @param factory the factory
     * @param declared the declared servers by name, with their protocol; their meters are registered up front
     */
    public SocketServerMetrics(NioSocketFactory factory, Map<String, Protocol> declared) {
        this.factory = factory;
        this.declared = new LinkedHashMap<>(declared);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Protocol protocol : SERVER_PROTOCOLS) {
            bindServer(registry, protocol, "", this.factory.stats().server(protocol));
        }
        this.declared.forEach((name, protocol) -> bindServer(registry, protocol, name, this.factory.serverStats(name)));
    }

    private static void bindServer(MeterRegistry registry, Protocol protocol, String name, ServerStats stats) {
        Tags tags = Tags.of("protocol", protocol.tag(), "server", name);
        FunctionCounter.builder("socket.server.connections.accepted", stats, ServerStats::accepted)
            .description("Connections that servers accepted and handed to the application")
            .baseUnit("connections")
            .tags(tags)
            .register(registry);
        for (ServerStats.Reason reason : ServerStats.Reason.values()) {
            FunctionCounter.builder("socket.server.connections.rejected", stats, (counts) -> counts.rejected(reason))
                .description("Connections that servers reset at once: over the connection limit or denied by the "
                        + "access policy")
                .baseUnit("connections")
                .tags(tags.and("reason", reason.tag()))
                .register(registry);
        }
        Gauge.builder("socket.server.connections.open", stats, ServerStats::open)
            .description("Connections that servers accepted and that are not yet closed")
            .baseUnit("connections")
            .tags(tags)
            .register(registry);
    }

}
