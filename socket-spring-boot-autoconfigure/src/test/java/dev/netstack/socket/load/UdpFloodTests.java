package dev.netstack.socket.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.nio.UdpKernelDrops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UDP flood that overruns a small receive buffer while the only listener is stuck: the engine never buffers
 * datagrams itself, so its heap stays flat, the kernel drops what does not fit and counts it, and once the listener
 * returns the socket receives again.
 */
@Timeout(60)
class UdpFloodTests {

    private static final long WAIT_SECONDS = 10;

    /** 50,000 datagrams of 1 KiB: about 49 MiB, far more than the receive buffer and than the heap bound below. */
    private static final int DATAGRAMS = 50_000;

    private static final int SIZE = 1024;

    /** How much the heap may grow while the flood runs: a few MiB of noise, far below the flood's 49 MiB. */
    private static final long HEAP_BOUND = 8L * 1024 * 1024;

    private final NioSocketFactory factory = NioSocketFactory.create(
            SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-UdpFloodTests-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void aFloodPastTheReceiveBufferIsDroppedAndCountedByTheKernelWhileTheEngineHeapStaysFlat() throws Exception {
        UDPSocket receiver = this.factory.constructUDPSocketInstance();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        LinkedBlockingQueue<String> markers = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, message -> {
            received.incrementAndGet();
            if (message.size() < SIZE) {
                markers.add(message.text());
            }
            if (stuck.getCount() > 0) {
                stuck.countDown();
                // The listener falls behind as far as it can: it blocks its loop until the flood is over.
                await(release);
            }
        });
        receiver.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        UDPExtraOptions small = new UDPExtraOptions();
        small.setReceiveBufferSize(4096);
        receiver.setExtraOptions(small).get(WAIT_SECONDS, TimeUnit.SECONDS);
        int port = receiver.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS).port();
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);

        try (DatagramChannel sender = DatagramChannel.open()) {
            sender.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            sender.send(ByteBuffer.wrap("first".getBytes(StandardCharsets.UTF_8)), to);
            assertThat(stuck.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the listener got the first datagram").isTrue();
            assertThat(markers.poll()).isEqualTo("first");

            long heapBefore = Heap.usedAfterGc();
            long dropsBefore = ((NioSocket) receiver).kernelDrops();
            ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);
            for (int i = 0; i < DATAGRAMS; i++) {
                payload.clear();
                sender.send(payload, to);
            }
            long heapAfter = Heap.usedAfterGc();
            long drops = ((NioSocket) receiver).kernelDrops();

            assertThat(heapAfter - heapBefore).as("heap growth during a %d MiB flood, bytes", DATAGRAMS * SIZE >> 20)
                .isLessThan(HEAP_BOUND);
            if (Files.isReadable(Path.of("/proc/net/udp"))) {
                assertThat(UdpKernelDrops.isAvailable()).isTrue();
                assertThat(drops - dropsBefore).as("datagrams the kernel dropped").isPositive().isLessThanOrEqualTo(DATAGRAMS);
                assertThat(UdpKernelDrops.total(this.factory.sockets())).isEqualTo(drops);
            }
            else {
                assertThat(drops).as("no /proc/net/udp: the platform does not tell").isEqualTo(-1);
            }

            // The listener returns: what the kernel kept is delivered, and the socket receives again.
            release.countDown();
            String marker = null;
            for (int attempt = 0; attempt < 100 && marker == null; attempt++) {
                // The buffer may still be full of the flood when a marker arrives: send again until one gets in.
                sender.send(ByteBuffer.wrap("marker".getBytes(StandardCharsets.UTF_8)), to);
                marker = markers.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(marker).as("a datagram sent after the flood").isEqualTo("marker");
            // Delivered: the first datagram, what fitted in the buffer, and the markers; never the whole flood.
            assertThat(received.get()).isLessThan(DATAGRAMS / 10);
            assertThat(this.factory.stats().of(Protocol.UDP).messagesReceived()).isEqualTo(received.get());
            assertThat(Heap.usedAfterGc() - heapBefore).isLessThan(HEAP_BOUND);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
