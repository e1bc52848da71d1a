package dev.netstack.socket.metrics;

import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.nio.Errors;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketStats;
import dev.netstack.socket.nio.UdpKernelDrops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of a {@link NioSocketFactory}'s sockets, tagged {@code protocol} = {@code udp} | {@code tcp} | {@code local}.
 *
 * <p>Every meter reads the factory's running totals ({@link SocketStats}) when the registry asks, so the event loops
 * pay one {@code LongAdder} add per datagram and nothing for the meters. Every meter is registered up front, the
 * error counters too (one per code of {@link Errors#CODES}), so that dashboards see zeros rather than gaps.
 * The {@code socket.connect} timer is bound by {@link SocketConnectMetrics}.
 */
public class SocketMetrics implements MeterBinder {

    private final NioSocketFactory factory;

    private final SocketStats stats;

    private final ToLongFunction<SocketEventType<?>> droppedEvents;

    private final LongSupplier listenerFailures;

    /**
     * Creates a binder for a factory that publishes no application events.
     * @param factory the factory
     */
    public SocketMetrics(NioSocketFactory factory) {
        this(factory, (type) -> 0, () -> 0);
    }

    /**
     * Creates a binder.
     * @param factory the factory
     * @param droppedEvents how many application events of a type were dropped because listeners fell behind
     * @param listenerFailures how many times an application event listener threw
     */
    public SocketMetrics(NioSocketFactory factory, ToLongFunction<SocketEventType<?>> droppedEvents,
            LongSupplier listenerFailures) {
        this.factory = factory;
        this.stats = factory.stats();
        this.droppedEvents = droppedEvents;
        this.listenerFailures = listenerFailures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Protocol protocol : Protocol.values()) {
            bindProtocol(registry, this.stats.of(protocol));
        }
        FunctionCounter.builder("socket.callback.failures", this, SocketMetrics::callbackFailures)
            .description("Socket callbacks, observers and event listeners that threw")
            .baseUnit(BaseUnits.OPERATIONS)
            .register(registry);
        FunctionCounter.builder("socket.loop.interrupts", this.stats, SocketStats::loopInterrupts)
            .description("Interrupts of event loop threads by callbacks or tasks, which the loops cleared")
            .baseUnit(BaseUnits.EVENTS)
            .register(registry);
        for (SocketEventType<?> type : SocketEventType.values()) {
            FunctionCounter.builder("socket.events.dropped", this, (metrics) -> metrics.droppedEvents.applyAsLong(type))
                .description("Socket application events dropped because listeners fell behind")
                .baseUnit(BaseUnits.EVENTS)
                .tags("type", type.name())
                .register(registry);
        }
        Gauge.builder("socket.multicast.memberships", this.stats.of(Protocol.UDP), ProtocolStats::memberships)
            .description("Multicast group memberships that the open sockets hold")
            .baseUnit("memberships")
            .tags("protocol", Protocol.UDP.tag())
            .register(registry);
        if (UdpKernelDrops.isAvailable()) {
            // Read from /proc on each scrape, never on an event loop. A gauge: it sums the open sockets only.
            Gauge.builder("socket.kernel.drops", this, SocketMetrics::kernelDrops)
                .description("Datagrams the kernel dropped because a receive buffer of an open socket was full")
                .baseUnit(BaseUnits.MESSAGES)
                .tags("protocol", Protocol.UDP.tag())
                .register(registry);
        }
    }

    private void bindProtocol(MeterRegistry registry, ProtocolStats protocol) {
        Tags tags = Tags.of("protocol", protocol.protocol().tag());
        count(registry, "socket.bytes.received", protocol, ProtocolStats::bytesReceived, tags,
                "Bytes received by sockets", BaseUnits.BYTES);
        count(registry, "socket.bytes.sent", protocol, ProtocolStats::bytesSent, tags,
                "Bytes sockets handed to the kernel", BaseUnits.BYTES);
        count(registry, "socket.messages.received", protocol, ProtocolStats::messagesReceived, tags,
                "Datagrams (UDP) or reads (TCP) received by sockets", BaseUnits.MESSAGES);
        count(registry, "socket.messages.sent", protocol, ProtocolStats::messagesSent, tags,
                "Sends that sockets completed", BaseUnits.MESSAGES);
        count(registry, "socket.messages.dropped", protocol, ProtocolStats::droppedMessages, tags,
                "Received messages dropped before delivery, e.g. from a source the access policy denies",
                BaseUnits.MESSAGES);
        for (int code : Errors.CODES) {
            count(registry, "socket.errors", protocol, (stats) -> stats.errors(code),
                    tags.and("code", Integer.toString(code)),
                    "Socket errors delivered to callbacks, futures and 'error' listeners", BaseUnits.OPERATIONS);
        }
        Gauge.builder("socket.active", protocol, ProtocolStats::active)
            .description("Sockets made and not yet closed")
            .baseUnit("sockets")
            .tags(tags)
            .register(registry);
        Gauge.builder("socket.send.pending", protocol, ProtocolStats::pendingBytes)
            .description("Bytes accepted by send and not yet handed to the kernel")
            .baseUnit(BaseUnits.BYTES)
            .tags(tags)
            .register(registry);
    }

    private static void count(MeterRegistry registry, String name, ProtocolStats protocol,
            ToDoubleFunction<ProtocolStats> total, Tags tags, String description, String baseUnit) {
        FunctionCounter.builder(name, protocol, total)
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private double kernelDrops() {
        long drops = UdpKernelDrops.total(this.factory.sockets());
        return (drops >= 0) ? drops : Double.NaN;
    }

    private double callbackFailures() {
        return this.stats.callbackFailures() + this.listenerFailures.getAsLong();
    }

}
