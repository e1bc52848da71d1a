package dev.netstack.socket.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

import dev.netstack.socket.nio.EventLoop;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketStats;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a {@link NioSocketFactory}: UP while every event loop thread is alive and runs a probe task within the
 * loop timeout; DOWN otherwise, with the reason naming the loop that is dead or stuck.
 *
 * <p>A stuck loop is the failure that matters most and shows nowhere else: a callback that blocks it stops the I/O
 * of every socket on that loop. The probes of all loops run at once, so a check takes at most one loop timeout; a
 * loop holds one probe at a time, so checks of a stuck loop wait for the probe it already holds instead of queueing
 * more behind the callback that blocks it.
 * Details: the number of I/O threads, and the active sockets and pending send bytes per protocol.
 */
public class SocketHealthIndicator extends AbstractHealthIndicator {

    private final NioSocketFactory factory;

    private final Duration loopTimeout;

    /**
     * Creates an indicator.
     * @param factory the factory to watch
     * @param loopTimeout how long a loop may take to run a probe task
     */
    public SocketHealthIndicator(NioSocketFactory factory, Duration loopTimeout) {
        super("Socket health check failed");
        this.factory = factory;
        this.loopTimeout = loopTimeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        List<EventLoop> loops = this.factory.eventLoops().loops();
        builder.withDetail("ioThreads", loops.size());
        builder.withDetail("active", perProtocol(ProtocolStats::active));
        builder.withDetail("pendingBytes", perProtocol(ProtocolStats::pendingBytes));
        List<String> problems = problems(loops);
        if (problems.isEmpty()) {
            builder.up();
        }
        else {
            builder.down().withDetail("reason", String.join("; ", problems));
        }
    }

    private List<String> problems(List<EventLoop> loops) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<EventLoop, CompletableFuture<Long>> probes = new LinkedHashMap<>();
        for (EventLoop loop : loops) {
            if (loop.isAlive()) {
                probes.put(loop, loop.probe());
            }
            else {
                problems.add("event loop " + loop.name() + " is not running");
            }
        }
        long deadline = System.nanoTime() + this.loopTimeout.toNanos();
        for (Map.Entry<EventLoop, CompletableFuture<Long>> probe : probes.entrySet()) {
            try {
                probe.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException ex) {
                problems.add("event loop " + probe.getKey().name() + " is stuck: it did not run a probe task within "
                        + this.loopTimeout.toMillis() + "ms");
            }
            catch (ExecutionException ex) {
                problems.add("event loop " + probe.getKey().name() + " is not running");
            }
        }
        return problems;
    }

    private Map<String, Long> perProtocol(ToLongFunction<ProtocolStats> figure) {
        SocketStats stats = this.factory.stats();
        Map<String, Long> values = new LinkedHashMap<>();
        for (Protocol protocol : Protocol.values()) {
            values.put(protocol.tag(), figure.applyAsLong(stats.of(protocol)));
        }
        return values;
    }

}
