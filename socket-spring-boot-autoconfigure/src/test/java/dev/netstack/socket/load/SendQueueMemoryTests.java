package dev.netstack.socket.load;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callers that send in a loop without waiting for the results: a socket holds at most its send queue limit (plus a
 * small constant) in memory, tasks on its loop included, refuses the rest at once with 2301105, and delivers every
 * send it accepted. Small limits keep each test to a few seconds.
 */
@Timeout(120)
class SendQueueMemoryTests {

    private static final long LIMIT = 1024 * 1024;

    /** What the heap may hold above the limit: the JVM's and the test's own noise. */
    private static final long SLACK = 4L * 1024 * 1024;

    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A runaway queue grows by hundreds of MiB a second: the flood stops there, long before the JVM runs out. */
    private static final long RUNAWAY = 256L * 1024 * 1024;

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder()
        .ioThreads(1)
        .threadNamePrefix("socket-io-SendQueueMemoryTests-")
        .sendQueueLimit(LIMIT)
        .udpSendQueueLimit(LIMIT)
        .build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void aSenderThatNeverWaitsForAPeerThatNeverReadsHoldsAtMostTheLimit() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = connected(server);
            Socket peer = server.accept();
            Flood flood = new Flood(1024);
            flood.run((data, callback) -> socket.send(new TCPSendOptions(data), callback));

            assertThat(flood.heapGrowth).as("heap growth after GC while the queue is full, bytes")
                .isLessThan(LIMIT + SLACK);
            assertThat(flood.rejected.get()).as("sends refused with 2301105").isPositive();
            // The peer reads now: every accepted byte arrives, once and in order, and every accepted send completes.
            flood.assertEveryAcceptedSendArrived(read(peer, flood.acceptedBytes, 64 * 1024));
            // Every completed send gave its charge back: the queue takes a send of its whole limit again.
            CompletableFuture<Void> whole = socket.send(new TCPSendOptions(new byte[(int) LIMIT]));
            assertThat(read(peer, LIMIT, 64 * 1024).bytes()).isEqualTo(LIMIT);
            whole.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusalsAreDeliveredAtOnceOnTheCallingThreadWithoutAStackTrace() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = connected(server);
            server.accept();
            Thread caller = Thread.currentThread();
            CompletableFuture<Thread> refusedOn = new CompletableFuture<>();
            CompletableFuture<BusinessError> refusal = new CompletableFuture<>();
            socket.send(new TCPSendOptions(new byte[(int) LIMIT + 1]), (error, nothing) -> {
                refusedOn.complete(Thread.currentThread());
                refusal.complete(error);
            });
            assertThat(refusal).as("refused before send returned").isDone();
            assertThat(refusedOn.get()).isSameAs(caller);
            BusinessError full = refusal.get();
            assertThat(full.getCode()).isEqualTo(BusinessError.NO_BUFFER_SPACE);
            assertThat(full.getMessage()).contains(Long.toString(LIMIT + 1)).contains("limit of " + LIMIT);
            assertThat(full.getStackTrace()).isEmpty();

            socket.close().get(10, TimeUnit.SECONDS);
            BusinessError closed = Await.failure(socket.send(new TCPSendOptions("late")));
            assertThat(closed.getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(closed.getStackTrace()).isEmpty();
        }
    }

    @Test
    void aSenderThatNeverWaitsForAPeerThatReadsSlowlyHoldsAtMostTheLimit() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = connected(server);
            Socket peer = server.accept();
            CompletableFuture<Received> reading = CompletableFuture.supplyAsync(() -> readToEnd(peer, 64));
            Flood flood = new Flood(64);
            flood.run((data, callback) -> socket.send(new TCPSendOptions(data), callback));

            assertThat(flood.heapGrowth).as("heap growth after GC while the peer reads slowly, bytes")
                .isLessThan(LIMIT + SLACK);
            CompletableFuture<Void> closed = socket.close();
            Received received = reading.get(60, TimeUnit.SECONDS);
            closed.get(30, TimeUnit.SECONDS);
            flood.assertEveryAcceptedSendArrived(received);
        }
    }

    @Test
    void aUdpSenderThatNeverWaitsHoldsAtMostTheLimitAndHandsEveryAcceptedDatagramToTheKernel() throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open()) {
            // Bound and never read: the kernel drops what does not fit, which is no concern of the sender.
            receiver.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            NetAddress to = new NetAddress("127.0.0.1", ((InetSocketAddress) receiver.getLocalAddress()).getPort());
            UDPSocket socket = this.factory.constructUDPSocketInstance();
            socket.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            Flood flood = new Flood(256);
            flood.run((data, callback) -> socket.send(new UDPSendOptions(data, to), callback));

            assertThat(flood.heapGrowth).as("heap growth after GC, bytes").isLessThan(LIMIT + SLACK);
            flood.awaitEveryAcceptedSend();
            assertThat(this.factory.stats().of(Protocol.UDP).bytesSent()).as("bytes handed to the kernel")
                .isEqualTo(flood.acceptedBytes);
        }
    }

    private TCPSocket connected(LoopbackServer server) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.connect(new TCPConnectOptions(server.address())).get(10, TimeUnit.SECONDS);
        return socket;
    }

    private static Received readToEnd(Socket peer, int chunk) {
        return read(peer, Long.MAX_VALUE, chunk);
    }

    /**
     * Reads {@code count} bytes or until the end of the stream, {@code chunk} bytes per read at most: a small chunk
     * makes a slow reader.
     */
    private static Received read(Socket peer, long count, int chunk) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = peer.getInputStream();
            byte[] buffer = new byte[chunk];
            long total = 0;
            int read;
            while (total < count && (read = in.read(buffer, 0, (int) Math.min(chunk, count - total))) >= 0) {
                digest.update(buffer, 0, read);
                total += read;
            }
            return new Received(total, digest.digest());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private record Received(long bytes, byte[] sha256) {
    }

    /**
     * One thread that sends distinct payloads for {@link #FLOOD_NANOS} without waiting, through one shared callback
     * (so that the test itself holds nothing per send), and keeps the digest of what the socket accepted.
     */
    private static final class Flood {

        private final int size;

        private final AtomicLong completed = new AtomicLong();

        private final AtomicLong rejected = new AtomicLong();

        private final List<String> unexpected = new CopyOnWriteArrayList<>();

        private final MessageDigest accepted;

        private long acceptedSends;

        private long acceptedBytes;

        private long heapGrowth;

        Flood(int size) throws Exception {
            this.size = size;
            this.accepted = MessageDigest.getInstance("SHA-256");
        }

        void run(BiConsumer<byte[], AsyncCallback<Void>> send) {
            Thread sender = Thread.currentThread();
            AsyncCallback<Void> outcome = (error, nothing) -> {
                if (error == null) {
                    this.completed.incrementAndGet();
                }
                else if (error.getCode() == BusinessError.NO_BUFFER_SPACE && Thread.currentThread() == sender) {
                    this.rejected.incrementAndGet();
                }
                else {
                    this.unexpected.add(error + " on " + Thread.currentThread().getName());
                }
            };
            long heapBefore = Heap.usedAfterGc();
            long end = System.nanoTime() + FLOOD_NANOS;
            for (long i = 0; System.nanoTime() - end < 0; i++) {
                byte[] data = ByteBuffer.allocate(this.size).putLong(i).putLong(~i).array();
                long refusedBefore = this.rejected.get();
                send.accept(data, outcome);
                // A refusal is reported before send returns, on this thread: what was not refused was accepted.
                if (this.rejected.get() == refusedBefore) {
                    this.acceptedSends++;
                    this.acceptedBytes += data.length;
                    this.accepted.update(data);
                }
                if ((i & 4095) == 0 && Heap.used() - heapBefore > RUNAWAY) {
                    break;
                }
            }
            this.heapGrowth = Heap.usedAfterGc() - heapBefore;
        }

        void awaitEveryAcceptedSend() {
            await().atMost(Duration.ofSeconds(60)).until(() -> this.completed.get() >= this.acceptedSends);
            assertThat(this.completed.get()).as("completed sends").isEqualTo(this.acceptedSends);
            assertThat(this.unexpected).as("failures other than 2301105 on the sending thread").isEmpty();
        }

        void assertEveryAcceptedSendArrived(Received received) {
            awaitEveryAcceptedSend();
            assertThat(received.bytes()).as("bytes the peer read").isEqualTo(this.acceptedBytes);
            assertThat(received.sha256()).as("digest of the bytes the peer read").isEqualTo(this.accepted.digest());
        }

    }

}
