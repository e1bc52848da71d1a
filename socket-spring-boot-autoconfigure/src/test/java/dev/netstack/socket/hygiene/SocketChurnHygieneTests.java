package dev.netstack.socket.hygiene;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.NetSocket;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.load.NioEchoServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand sockets, half UDP (bound, each sending a datagram) and half TCP (connected to an echo server), open at
 * once and then closed: the descriptors go back to what the factory alone holds, and once the factory closes the
 * threads and descriptors go back to what the process held before it started.
 */
@Timeout(60)
class SocketChurnHygieneTests {

    private static final String PREFIX = "socket-io-SocketChurnHygieneTests-";

    private static final int EACH = 500;

    private static final long WAIT_SECONDS = 30;

    @Test
    void aThousandSocketsOpenedAndClosedLeaveThreadsAndDescriptorsAtTheirBaseline() throws Exception {
        Assumptions.assumeTrue(ProcessCounts.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        // Warm up what the JDK and the test tools start lazily (a first await, a first selector), so only leaks count.
        await().atMost(Duration.ofSeconds(1)).until(() -> true);
        churn(10, false);
        long descriptorsBefore = ProcessCounts.descriptors();
        List<String> threadsBefore = ProcessCounts.threads();

        long[] peak = churn(EACH, true);

        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
            assertThat(ProcessCounts.threads(PREFIX)).isEmpty();
            assertThat(ProcessCounts.threads("nio-echo-server")).isEmpty();
            assertThat(ProcessCounts.descriptors()).isLessThanOrEqualTo(descriptorsBefore);
            assertThat(ProcessCounts.threads()).hasSizeLessThanOrEqualTo(threadsBefore.size());
        });
        assertThat(peak[0]).as("descriptors with every socket open").isGreaterThanOrEqualTo(descriptorsBefore + 3L * EACH);
    }

    /**
     * Opens {@code each} UDP and {@code each} TCP sockets at once, uses and closes them, then closes the factory.
     * @param measured whether to check the descriptors after the sockets closed (not while warming up, when classes
     * loaded from jars for the first time hold descriptors of their own)
     * @return the descriptors at the peak, and after the sockets closed with the factory still open
     */
    private long[] churn(int each, boolean measured) throws Exception {
        long[] figures = new long[2];
        try (NioEchoServer server = new NioEchoServer(1024);
                NioSocketFactory factory = NioSocketFactory
                    .create(SocketSettings.builder().ioThreads(2).threadNamePrefix(PREFIX).build())) {
            long withFactory = ProcessCounts.descriptors();
            UDPSocket sink = factory.constructUDPSocketInstance();
            sink.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            NetAddress sinkAddress = sink.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS);
            List<NetSocket> sockets = new ArrayList<>();
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            Semaphore connectsInFlight = new Semaphore(200);
            for (int i = 0; i < each; i++) {
                UDPSocket udp = factory.constructUDPSocketInstance();
                sockets.add(udp);
                ready.add(udp.bind(new NetAddress("127.0.0.1", 0))
                    .thenCompose(nothing -> udp.send(new UDPSendOptions("hello", sinkAddress))));
                TCPSocket tcp = factory.constructTCPSocketInstance();
                sockets.add(tcp);
                assertThat(connectsInFlight.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                ready.add(tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.port())))
                    .whenComplete((nothing, error) -> connectsInFlight.release()));
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(factory.stats().of(Protocol.UDP).active()).isEqualTo(each + 1);
            assertThat(factory.stats().of(Protocol.TCP).active()).isEqualTo(each);
            figures[0] = ProcessCounts.descriptors();

            CompletableFuture.allOf(sockets.stream().map(NetSocket::close).toArray(CompletableFuture[]::new))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(factory.sockets()).containsExactly((dev.netstack.socket.nio.NioSocket) sink);
            // The server closes its ends when it reads our FINs.
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).untilAsserted(() -> {
                assertThat(server.open()).isZero();
                if (measured) {
                    // Only the sink is left.
                    assertThat(ProcessCounts.descriptors()).isLessThanOrEqualTo(withFactory + 1);
                }
            });
            figures[1] = ProcessCounts.descriptors();
        }
        return figures;
    }

}
