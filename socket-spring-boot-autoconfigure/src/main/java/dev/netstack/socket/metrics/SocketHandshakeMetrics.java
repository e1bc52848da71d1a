package dev.netstack.socket.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@code socket.tls.handshakes} timer: how long TLS handshakes take, tagged {@code protocol} = {@code tls},
 * {@code outcome} = {@code success} | {@code failure}, {@code code} = the failure's code ({@code none} on success)
 * and {@code server} = the declared server that accepted the connection ({@code ""} for clients and for servers made
 * in code).
 *
 * <p>A {@link SocketObserver}, given to the factory before it starts, as {@link SocketConnectMetrics}. The timers of a
 * success and of the usual failures are registered up front, so that dashboards see zeros rather than gaps; a
 * failure with another code registers its timer the first time it happens.
 */
public class SocketHandshakeMetrics implements SocketObserver, MeterBinder {

    /** The tag value of the {@code protocol} tag. */
    static final String PROTOCOL = Protocol.TLS.tag();

    /** The codes whose timers exist before the first failure: verification, other handshake failures, timeout. */
    static final List<Integer> USUAL_FAILURES = List.of(2303504, 2303505, 2303210);

    private static final Timer[] NONE = new Timer[0];

    private final List<String> serverNames;

    // Copy-on-write: bound rarely, read on the event loops when a timer is first needed.
    private volatile MeterRegistry[] registries = new MeterRegistry[0];

    // One entry per server and code: an event loop looks its timers up once per handshake without a lock.
    private final Map<Key, Timer[]> timers = new ConcurrentHashMap<>();

    /**
     * Creates a binder.
     * @param serverNames the names of the declared servers, whose timers are registered up front
     */
    public SocketHandshakeMetrics(List<String> serverNames) {
        this.serverNames = List.copyOf(serverNames);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        MeterRegistry[] grown = Arrays.copyOf(this.registries, this.registries.length + 1);
        grown[this.registries.length] = registry;
        this.registries = grown;
        // Timers looked up before this registry came lack it: look them up again.
        this.timers.clear();
        registerUpFront(registry, "");
        this.serverNames.forEach((name) -> registerUpFront(registry, name));
    }

    private static void registerUpFront(MeterRegistry registry, String server) {
        timer(registry, new Key(server, null));
        USUAL_FAILURES.forEach((code) -> timer(registry, new Key(server, code)));
    }

    @Override
    public void handshakeCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
        String name = socket.name();
        Key key = new Key((name != null) ? name : "", (failure != null) ? failure.getCode() : null);
        for (Timer timer : this.timers.computeIfAbsent(key, this::timers)) {
            timer.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer[] timers(Key key) {
        MeterRegistry[] bound = this.registries;
        if (bound.length == 0) {
            return NONE;
        }
        Timer[] found = new Timer[bound.length];
        for (int i = 0; i < bound.length; i++) {
            found[i] = timer(bound[i], key);
        }
        return found;
    }

    private static Timer timer(MeterRegistry registry, Key key) {
        return Timer.builder("socket.tls.handshakes")
            .description("Time TLS handshakes took to complete or to fail")
            .tags("protocol", PROTOCOL, "server", key.server(), "outcome", (key.code() == null) ? "success" : "failure",
                    "code", (key.code() == null) ? "none" : Integer.toString(key.code()))
            .register(registry);
    }

    private record Key(String server, Integer code) {
    }

}
