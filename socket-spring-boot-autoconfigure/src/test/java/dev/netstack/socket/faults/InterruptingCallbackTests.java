package dev.netstack.socket.faults;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.metrics.SocketMetrics;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A callback that interrupts the thread it runs on, which is the event loop's: select returns at once while the
 * interrupt flag is set, so a loop that kept the flag would spin on a core. The loop clears it, logs it once at
 * WARNING, counts it in {@code socket.loop.interrupts}, and its sockets go on.
 */
@Timeout(30)
class InterruptingCallbackTests {

    private static final String PREFIX = "socket-io-InterruptingCallbackTests-";

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(1).threadNamePrefix(PREFIX).build());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        this.factory.close();
        this.registry.close();
    }

    @Test
    void aCallbackThatInterruptsTheLoopLeavesItIdleCountedAndLoggedOnce() throws Exception {
        new SocketMetrics(this.factory).bindTo(this.registry);
        try (LogRecords log = LogRecords.of("dev.netstack.socket.nio.EventLoop")) {
            UDPSocket socket = this.factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            CompletableFuture<Long> loopThread = new CompletableFuture<>();
            socket.on(SocketEventType.MESSAGE, (message) -> {
                loopThread.complete(Thread.currentThread().getId());
                received.add(message.text());
                Thread.currentThread().interrupt();
            });
            UDPSocket peer = this.factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
            peer.on(SocketEventType.MESSAGE, (message) -> replies.add(message.text()));
            Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            Await.result(peer.bind(new NetAddress("127.0.0.1", 0)));
            NetAddress socketAddress = Await.result(socket.getLocalAddress());
            NetAddress peerAddress = Await.result(peer.getLocalAddress());

            Await.result(peer.send(new UDPSendOptions("first", socketAddress)));
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("first");
            long thread = loopThread.get();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(thread);
            // An idle loop waits in select and uses no CPU; a spinning one takes what the machine gives it, which
            // was over 100 ms a second even on two cores that ran ten times as many threads.
            await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> threads.getThreadCpuTime(thread) - cpuBefore < TimeUnit.MILLISECONDS.toNanos(20));

            // The sockets on the loop go on, and a second interrupt is counted but not logged again.
            Await.result(peer.send(new UDPSendOptions("second", socketAddress)));
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("second");
            Await.result(socket.send(new UDPSendOptions("reply", peerAddress)));
            assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("reply");
            await().atMost(Duration.ofSeconds(10)).until(() -> this.factory.stats().loopInterrupts() == 2);
            assertThat(this.registry.get("socket.loop.interrupts").functionCounter().count()).isEqualTo(2);
            assertThat(log.records()).filteredOn((record) -> record.getLevel() == Level.WARNING)
                .singleElement()
                .extracting(LogRecord::getMessage)
                .asString()
                .contains(PREFIX + "1")
                .contains("interrupt");
        }
    }

}
