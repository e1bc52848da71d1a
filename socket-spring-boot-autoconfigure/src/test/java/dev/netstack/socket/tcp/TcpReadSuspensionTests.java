package dev.netstack.socket.tcp;

import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link NioSocket#suspendReading()} on a TCP socket: while reading is suspended the socket reads nothing, TCP's flow
 * control holds the peer back, and once reading resumes every byte arrives, in order.
 */
@Timeout(60)
class TcpReadSuspensionTests {

    /** Far more than loopback's socket buffers hold with a 16 KiB receive buffer, so the peer must wait. */
    private static final int STREAM = 8 * 1024 * 1024;

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder()
        .ioThreads(1)
        .threadNamePrefix("socket-io-TcpReadSuspensionTests-")
        .tcpDefaults(smallReceiveBuffer())
        .build());

    private final PatternStream received = new PatternStream();

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void aSuspendedSocketReadsNothingAndHoldsThePeerBackThenResumesWithEveryByteInOrder() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            NioSocket socket = connected(server);
            Socket peer = server.accept();
            socket.suspendReading();
            assertThat(socket.isReadingSuspended()).isTrue();
            // Runs on the loop after the suspension: from here on the loop reads nothing.
            Await.result(socket.effectiveOptions());

            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> PatternStream.write(peer, STREAM));
            assertThatExceptionOfType(TimeoutException.class).as("the peer is held back by flow control")
                .isThrownBy(() -> writer.get(500, TimeUnit.MILLISECONDS));
            assertThat(socket.bytesReceived()).isZero();
            assertThat(this.received.bytes()).isZero();

            CompletableFuture.runAsync(socket::resumeReading).get(Await.SECONDS, TimeUnit.SECONDS);
            writer.get(Await.SECONDS, TimeUnit.SECONDS);
            await().atMost(Await.SECONDS, TimeUnit.SECONDS).until(() -> this.received.bytes() == STREAM);
            assertThat(this.received.outOfOrder()).isZero();
            assertThat(socket.isReadingSuspended()).isFalse();
        }
    }

    @Test
    void aCallbackThatSuspendsEndsTheReadBatchAfterItsMessage() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            NioSocket socket = (NioSocket) this.factory.constructTCPSocketInstance();
            AtomicInteger messages = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(1);
            ((TCPSocket) socket).on(SocketEventType.MESSAGE, (message) -> {
                if (messages.incrementAndGet() == 1) {
                    socket.suspendReading();
                    first.countDown();
                }
            });
            Await.result(((TCPSocket) socket).connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> PatternStream.write(peer, STREAM));
            assertThat(first.await(Await.SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThatExceptionOfType(TimeoutException.class)
                .isThrownBy(() -> writer.get(500, TimeUnit.MILLISECONDS));
            Await.result(socket.effectiveOptions());
            assertThat(messages).hasValue(1);

            socket.resumeReading();
            writer.get(Await.SECONDS, TimeUnit.SECONDS);
            await().atMost(Await.SECONDS, TimeUnit.SECONDS).until(() -> socket.bytesReceived() == STREAM);
        }
    }

    @Test
    void suspensionsNestAndAResumeWithoutASuspensionIsRefused() {
        NioSocket socket = (NioSocket) this.factory.constructTCPSocketInstance();
        socket.suspendReading();
        socket.suspendReading();
        socket.resumeReading();
        assertThat(socket.isReadingSuspended()).isTrue();
        socket.resumeReading();
        assertThat(socket.isReadingSuspended()).isFalse();
        assertThatIllegalStateException().isThrownBy(socket::resumeReading)
            .withMessage("reading of TCP socket #" + socket.id() + " is not suspended");
    }

    private NioSocket connected(LoopbackServer server) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.on(SocketEventType.MESSAGE, this.received::add);
        Await.result(socket.connect(new TCPConnectOptions(server.address())));
        return (NioSocket) socket;
    }

    private static TCPExtraOptions smallReceiveBuffer() {
        TCPExtraOptions options = new TCPExtraOptions();
        options.setReceiveBufferSize(16 * 1024);
        return options;
    }

}
