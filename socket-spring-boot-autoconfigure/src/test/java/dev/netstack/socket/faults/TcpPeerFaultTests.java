package dev.netstack.socket.faults;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;
import dev.netstack.socket.tcp.NodePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCP peer that misbehaves while we are in the middle of sending: it resets the connection, it ends its side with
 * our data still queued, or its process dies. Each time every send ends (completed, or failed with a code that says
 * why), 'error' and 'close' tell the story once, nothing hangs and nothing stays queued. The peer is Node.js.
 */
@Timeout(60)
class TcpPeerFaultTests {

    private static final int KIB = 1024;

    /** What a write to a connection the peer has torn down fails with: reset by peer, or broken pipe. */
    private static final Set<Integer> TORN_DOWN = Set.of(BusinessError.CONNECTION_RESET, BusinessError.BROKEN_PIPE);

    private NioSocketFactory factory;

    @AfterEach
    void close() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    private TCPSocket socket(int sendBufferSize) {
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(sendBufferSize);
        this.factory = NioSocketFactory.create(SocketSettings.builder()
            .ioThreads(1)
            .threadNamePrefix("socket-io-TcpPeerFaultTests-")
            .tcpDefaults(small)
            .build());
        return this.factory.constructTCPSocketInstance();
    }

    @Test
    void aResetInTheMiddleOfAStreamFailsTheQueuedSendsThenErrorThenClose() throws Exception {
        try (NodePeer node = NodePeer.start("reset-after", Integer.toString(64 * KIB))) {
            TCPSocket socket = socket(16 * KIB);
            EventLog log = EventLog.of(socket);
            List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
            // 8 MiB at once, from the 'connect' callback on the loop: all of it is accepted before the loop reads
            // again, so most of it waits in our queue when the reset comes (a send still on its way to the loop when
            // the reset is read would fail with 2301009 instead, as after close()).
            socket.on(SocketEventType.CONNECT, nothing -> {
                for (int i = 0; i < 128; i++) {
                    sends.add(socket.send(new TCPSendOptions(new byte[64 * KIB])));
                }
            });
            Await.result(socket.connect(new TCPConnectOptions(node.address())));

            assertThat(log.nextNonMessage()).isEqualTo("connect");
            String error = log.nextNonMessage();
            assertThat(error).isIn("error:" + BusinessError.CONNECTION_RESET, "error:" + BusinessError.BROKEN_PIPE);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertEverySendEnded(sends, TORN_DOWN);
            assertThat(sends).as("some sends were still queued when the reset came")
                .anyMatch(CompletableFuture::isCompletedExceptionally);
            assertNothingLeftQueued(socket);
            assertThat(log.count("close")).isEqualTo(1);
        }
    }

    @Test
    void thePeersFinWithOurDataStillQueuedLetsEveryQueuedByteOutBeforeClose() throws Exception {
        try (NodePeer node = NodePeer.start("half-close-after", "1")) {
            TCPSocket socket = socket(64 * KIB);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(5);
            List<byte[]> chunks = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < 128; i++) {
                byte[] chunk = new byte[64 * KIB];
                random.nextBytes(chunk);
                sha.update(chunk);
                total += chunk.length;
                chunks.add(chunk);
            }
            List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
            // Sent from the 'connect' callback, on the loop: all 8 MiB are accepted before the loop reads again, so
            // the peer's FIN, which it sends after the first byte, always finds most of them still queued. (A send
            // called after the FIN was read fails with 2301009, as after close().)
            socket.on(SocketEventType.CONNECT, nothing -> chunks
                .forEach(chunk -> sends.add(socket.send(new TCPSendOptions(chunk)))));
            AtomicBoolean allSentBeforeClose = new AtomicBoolean();
            socket.on(SocketEventType.CLOSE, nothing -> allSentBeforeClose.set(sends.size() == chunks.size()
                    && sends.stream().allMatch(send -> send.isDone() && !send.isCompletedExceptionally())));
            // After the callbacks above: the log's 'close' then means they have run.
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            int port = Await.result(socket.getLocalAddress()).port();

            // The peer ends its side after the first byte; there is no half-open socket in this API, so ours closes,
            // but only after every byte it had accepted went out, as after our own close().
            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("close");
            for (CompletableFuture<Void> send : sends) {
                Await.result(send);
            }
            assertThat(allSentBeforeClose).as("every send completed before 'close'").isTrue();
            NodePeer.Event end = node.await("end", port, 30);
            assertThat(end.number("bytes")).isEqualTo(total);
            assertThat(end.get("sha256")).isEqualTo(HexFormat.of().formatHex(sha.digest()));
            assertThat(log.all()).containsExactly("connect", "close");
            assertNothingLeftQueued(socket);
        }
    }

    @Test
    void aPeerProcessKilledWhileWeSendFailsTheSendsAndFiresErrorAndClose() throws Exception {
        NodePeer node = NodePeer.start("paused");
        try {
            TCPSocket socket = socket(16 * KIB);
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            NioSocket nio = (NioSocket) socket;
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            // The peer reads nothing: fill its buffers and ours until a MiB waits in our queue, more than one write
            // can take, so that a write meets the dead peer whichever way its kernel ends the connection.
            while (nio.pendingBytes() < 1024 * KIB) {
                assertThat(sends).as("the buffers filled within 64 MiB").hasSizeLessThan(1024);
                sends.add(socket.send(new TCPSendOptions(new byte[64 * KIB])));
                Await.result(nio.effectiveOptions());
            }

            // A crash: the kernel closes the peer's socket; with our bytes unread in it, that resets the connection,
            // and a write to it fails even where a FIN comes first.
            node.kill();
            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isIn("error:" + BusinessError.CONNECTION_RESET,
                    "error:" + BusinessError.BROKEN_PIPE);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertEverySendEnded(sends, TORN_DOWN);
            assertNothingLeftQueued(socket);
            BusinessError late = Await.failure(socket.send(new TCPSendOptions("late")));
            assertThat(late.getCode()).isEqualTo(BusinessError.NOT_BOUND);
        }
        finally {
            node.close();
        }
    }

    /** Every send completed or failed with one of the codes, none is left waiting. */
    private static void assertEverySendEnded(List<CompletableFuture<Void>> sends, Set<Integer> codes) throws Exception {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
            .handle((nothing, error) -> null)
            .get(Await.SECONDS, TimeUnit.SECONDS);
        for (CompletableFuture<Void> send : sends) {
            if (send.isCompletedExceptionally()) {
                Throwable cause = send.handle((nothing, error) -> error).join();
                cause = (cause instanceof CompletionException) ? cause.getCause() : cause;
                assertThat(cause).isInstanceOf(BusinessError.class);
                assertThat(((BusinessError) cause).getCode()).as(cause.getMessage()).isIn(codes);
            }
        }
    }

    private void assertNothingLeftQueued(TCPSocket socket) throws Exception {
        ProtocolStats stats = this.factory.stats().of(Protocol.TCP);
        assertThat(((NioSocket) socket).pendingBytes()).isZero();
        assertThat(stats.pendingBytes()).isZero();
        assertThat(Await.result(socket.getState()).isClose()).isTrue();
        assertThat(stats.active()).isZero();
    }

}
