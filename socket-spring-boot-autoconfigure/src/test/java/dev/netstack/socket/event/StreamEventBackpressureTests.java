package dev.netstack.socket.event;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.LoopbackServer;
import dev.netstack.socket.tcp.PatternStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TCP stream read through application events by a listener slower than its peer: no message event is dropped,
 * since a hole would corrupt the stream. While the queue is full the socket stops reading and TCP's flow control
 * holds the peer back; once the queue drains the socket reads again.
 */
@Timeout(120)
class StreamEventBackpressureTests {

    /** Far more than the queue and the kernel's buffers hold together. */
    private static final long STREAM = 32L * 1024 * 1024;

    private static final int MAX_EVENTS = 256;

    private static final long MAX_BYTES = 1024 * 1024;

    /** What one read may add past the bound: the socket stops reading after the read that filled the queue. */
    private static final long ONE_READ = 64 * 1024;

    /** Heap noise allowed on top of what the queue may hold. */
    private static final long HEAP_SLACK = 4L * 1024 * 1024;

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The listener takes one permit per message: none means it is blocked, like a listener stuck in a slow call. */
    private final Semaphore permits = new Semaphore(0);

    private final PatternStream delivered = new PatternStream();

    private SocketEventPublisher publisher;

    private NioSocketFactory factory;

    @AfterEach
    void close() {
        this.permits.release(Integer.MAX_VALUE / 2);
        if (this.factory != null) {
            this.factory.close();
        }
        if (this.publisher != null) {
            this.publisher.stop();
        }
    }

    @Test
    void everyByteArrivesInOrderWhileMemoryStaysBoundedAndTheSocketResumesAsTheQueueDrains() throws Exception {
        start(Duration.ofSeconds(5));
        long heapBefore = usedHeapAfterGc();
        try (LoopbackServer server = new LoopbackServer()) {
            NioSocket socket = connected(server);
            Socket peer = server.accept();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> PatternStream.write(peer, STREAM));

            // The listener is blocked: the queue fills and the socket stops reading.
            await().atMost(WAIT).until(socket::isReadingSuspended);
            long stalledAt = socket.bytesReceived();
            assertThat(stalledAt).isLessThanOrEqualTo(MAX_BYTES + ONE_READ);
            assertThat(usedHeapAfterGc() - heapBefore).as("heap while stalled, bytes")
                .isLessThan(MAX_BYTES + ONE_READ + HEAP_SLACK);
            assertThat(writer).as("the peer is held back").isNotDone();

            // A few messages are taken: the queue drains, the socket reads again until the queue is full once more.
            this.permits.release(64);
            await().atMost(WAIT).until(() -> socket.bytesReceived() > stalledAt && socket.isReadingSuspended()
                    && this.permits.availablePermits() == 0);
            assertThat(socket.bytesReceived() - this.delivered.bytes()).isLessThanOrEqualTo(MAX_BYTES + ONE_READ);

            this.permits.release(Integer.MAX_VALUE / 2);
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> this.delivered.bytes() == STREAM);
            assertThat(this.delivered.outOfOrder()).isZero();
            assertThat(this.publisher.droppedEvents()).isZero();
            assertThat(socket.isReadingSuspended()).isFalse();
        }
    }

    @Test
    void stoppingThePublisherLetsSuspendedStreamsReadAgain() throws Exception {
        start(Duration.ofMillis(100));
        try (LoopbackServer server = new LoopbackServer()) {
            NioSocket socket = connected(server);
            Socket peer = server.accept();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> PatternStream.write(peer, STREAM));
            await().atMost(WAIT).until(socket::isReadingSuspended);

            // The listener does not finish within the drain timeout: its events are dropped, the stream flows.
            this.publisher.stop();
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> socket.bytesReceived() == STREAM);
            assertThat(socket.isReadingSuspended()).isFalse();
            assertThat(this.publisher.droppedEvents()).isPositive();
        }
    }

    private void start(Duration drainTimeout) {
        this.publisher = new SocketEventPublisher((event) -> {
            if (event instanceof SocketMessageEvent message) {
                try {
                    this.permits.acquire();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                this.delivered.add(message.getMessage());
            }
        }, drainTimeout, MAX_EVENTS, MAX_BYTES);
        this.publisher.start();
        TCPExtraOptions smallBuffers = new TCPExtraOptions();
        smallBuffers.setReceiveBufferSize(64 * 1024);
        this.factory = new NioSocketFactory(SocketSettings.builder()
            .ioThreads(1)
            .threadNamePrefix("socket-io-StreamEventBackpressureTests-")
            .tcpDefaults(smallBuffers)
            .observer(this.publisher)
            .build());
    }

    private NioSocket connected(LoopbackServer server) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.connect(new TCPConnectOptions(server.address())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return (NioSocket) socket;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

}
