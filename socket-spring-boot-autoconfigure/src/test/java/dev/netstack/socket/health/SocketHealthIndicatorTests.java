package dev.netstack.socket.health;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.EventLoop;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class SocketHealthIndicatorTests {

    private NioSocketFactory factory;

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        this.release.countDown();
        if (this.factory != null) {
            this.factory.close();
        }
    }

    @Test
    void upWhileEveryLoopRunsProbesWithThreadsSocketsAndPendingBytes() throws Exception {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(2).build());
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get();
        Health health = new SocketHealthIndicator(this.factory, Duration.ofSeconds(1)).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("ioThreads", 2)
            .containsEntry("active", Map.of("udp", 1L, "tcp", 0L, "tls", 0L))
            .containsEntry("pendingBytes", Map.of("udp", 0L, "tcp", 0L, "tls", 0L))
            .doesNotContainKey("reason");
    }

    @Test
    void downNamingTheLoopWhileACallbackBlocksIt() throws Exception {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());
        blockTheLoop();
        SocketHealthIndicator indicator = new SocketHealthIndicator(this.factory, Duration.ofMillis(200));

        Health stuck = indicator.health();
        assertThat(stuck.getStatus()).isEqualTo(Status.DOWN);
        assertThat(stuck.getDetails().get("reason")).asString()
            .isEqualTo("event loop socket-io-1 is stuck: it did not run a probe task within 200ms");
        assertThat(stuck.getDetails()).containsEntry("ioThreads", 1);

        this.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().getStatus().equals(Status.UP));
    }

    @Test
    void aStuckLoopGetsOneProbeHoweverOftenItIsChecked() throws Exception {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());
        blockTheLoop();
        EventLoop loop = this.factory.eventLoops().loops().get(0);
        SocketHealthIndicator indicator = new SocketHealthIndicator(this.factory, Duration.ofMillis(50));
        CompletableFuture<Long> first = loop.probe();

        for (int i = 0; i < 5; i++) {
            assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        }
        // Every check waited for the probe already queued instead of queueing one more behind the stuck callback.
        assertThat(loop.probe()).isSameAs(first);

        this.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(loop.probe()).as("a probe once the last one ran").isNotSameAs(first);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downNamingEveryLoopOnceTheFactoryHasStopped() {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(2).build());
        this.factory.close();
        Health health = new SocketHealthIndicator(this.factory, Duration.ofSeconds(1)).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason")).asString()
            .isEqualTo("event loop socket-io-1 is not running; event loop socket-io-2 is not running");
    }

    /** Blocks the factory's only loop in a 'message' callback until {@link #release} opens. */
    private void blockTheLoop() throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        CountDownLatch blocking = new CountDownLatch(1);
        socket.on(SocketEventType.MESSAGE, (message) -> {
            blocking.countDown();
            try {
                // A callback that breaks the rule "never block the loop": the failure this indicator exists for.
                this.release.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        socket.bind(new NetAddress("127.0.0.1", 0)).get();
        try (DatagramChannel peer = DatagramChannel.open()) {
            NetAddress to = socket.getLocalAddress().get();
            peer.send(ByteBuffer.wrap(new byte[] { 1 }), new InetSocketAddress(to.address(), to.port()));
        }
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    }

}
