package dev.netstack.socket.metrics;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The {@code socket.connect} timer: how long TCP and local connects take, tagged {@code protocol} = {@code tcp} |
 * {@code local} and {@code outcome} = {@code success} | {@code failure}.
 *
 * <p>A {@link SocketObserver}, so it must be given to the factory's settings before the factory starts, while the
 * registry may come later: connects that end before {@link #bindTo} are not recorded. Apart from
 * {@link SocketMetrics} for that reason: the factory needs its observers, and {@code SocketMetrics} needs the factory.
 */
public class SocketConnectMetrics implements SocketObserver, MeterBinder {

    private static final Timer[] NONE = new Timer[0];

    // Copy-on-write: bound rarely, read on the event loop at every connect.
    private volatile Timer[] successes = NONE;

    private volatile Timer[] failures = NONE;

    private volatile Timer[] localSuccesses = NONE;

    private volatile Timer[] localFailures = NONE;

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.successes = append(this.successes, timer(registry, Protocol.TCP, "success"));
        this.failures = append(this.failures, timer(registry, Protocol.TCP, "failure"));
        this.localSuccesses = append(this.localSuccesses, timer(registry, Protocol.LOCAL, "success"));
        this.localFailures = append(this.localFailures, timer(registry, Protocol.LOCAL, "failure"));
    }

    private static Timer timer(MeterRegistry registry, Protocol protocol, String outcome) {
        return Timer.builder("socket.connect")
            .description("Time TCP and local sockets took to connect or to fail")
            .tags("protocol", protocol.tag(), "outcome", outcome)
            .register(registry);
    }

    private static Timer[] append(Timer[] timers, Timer timer) {
        Timer[] grown = Arrays.copyOf(timers, timers.length + 1);
        grown[timers.length] = timer;
        return grown;
    }

    @Override
    public void connectCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
        boolean local = socket.protocol() == Protocol.LOCAL;
        Timer[] timers = (failure != null) ? (local ? this.localFailures : this.failures)
                : (local ? this.localSuccesses : this.successes);
        for (Timer timer : timers) {
            timer.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

}
