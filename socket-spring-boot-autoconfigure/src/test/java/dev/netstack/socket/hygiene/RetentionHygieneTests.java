package dev.netstack.socket.hygiene;

import java.lang.ref.WeakReference;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing a closed socket handled stays reachable from the engine: not the payloads it sent (arrays and buffers are
 * not copied, so the engine holds the caller's own), not the send futures, not the messages it delivered, not the
 * socket itself, whether the sends completed or were failed by the close. Checked with weak references that must be
 * cleared by a garbage collection while the factory is still running.
 */
@Timeout(30)
class RetentionHygieneTests {

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-RetentionHygieneTests-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void aClosedUdpSocketKeepsNoPayloadFutureMessageOrItself() throws Exception {
        List<WeakReference<?>> references = udpExchangeThenClose();
        assertAllCollected(references);
    }

    @Test
    void aClosedTcpSocketKeepsNoPayloadOrFutureOfCompletedOrFailedSends() throws Exception {
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(8 * 1024);
        small.setSocketTimeout(300);
        try (LoopbackServer server = new LoopbackServer("127.0.0.1", 4 * 1024)) {
            List<WeakReference<?>> references = tcpSendsThenClose(server, small);
            assertAllCollected(references);
        }
    }

    /** Everything made here is reachable only through the weak references returned. */
    private List<WeakReference<?>> udpExchangeThenClose() throws Exception {
        List<WeakReference<?>> references = new ArrayList<>();
        UDPSocket receiver = this.factory.constructUDPSocketInstance();
        UDPSocket sender = this.factory.constructUDPSocketInstance();
        LinkedBlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, received::add);
        Await.result(receiver.bind(new NetAddress("127.0.0.1", 0)));
        Await.result(sender.bind(new NetAddress("127.0.0.1", 0)));
        NetAddress to = Await.result(receiver.getLocalAddress());

        byte[] array = new byte[1024];
        ByteBuffer buffer = ByteBuffer.allocateDirect(512);
        CompletableFuture<Void> first = sender.send(new UDPSendOptions(array, to));
        CompletableFuture<Void> second = sender.send(new UDPSendOptions(buffer, to));
        Await.result(first);
        Await.result(second);
        SocketMessageInfo message = received.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(received.poll(Await.SECONDS, TimeUnit.SECONDS)).isNotNull();
        Await.result(receiver.close());
        Await.result(sender.close());

        references.add(new WeakReference<>(array));
        references.add(new WeakReference<>(buffer));
        references.add(new WeakReference<>(first));
        references.add(new WeakReference<>(second));
        references.add(new WeakReference<>(message));
        references.add(new WeakReference<>(receiver));
        references.add(new WeakReference<>(sender));
        return references;
    }

    /** Sends until some wait in the queue, then closes: the waiting ones fail after socketTimeout. */
    private List<WeakReference<?>> tcpSendsThenClose(LoopbackServer server, TCPExtraOptions options) throws Exception {
        List<WeakReference<?>> references = new ArrayList<>();
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        Await.result(socket.connect(new TCPConnectOptions(server.address())));
        Await.result(socket.setExtraOptions(options));
        Socket peer = server.accept();
        byte[] written = new byte[1024];
        CompletableFuture<Void> completed = socket.send(new TCPSendOptions(written));
        Await.result(completed);
        assertThat(LoopbackServer.readExactly(peer, 1024)).hasSize(1024);
        references.add(new WeakReference<>(written));
        references.add(new WeakReference<>(completed));

        NioSocket nio = (NioSocket) socket;
        List<CompletableFuture<Void>> stuck = new ArrayList<>();
        while (nio.pendingBytes() == 0) {
            assertThat(stuck).as("the kernel's buffers filled within 64 MiB").hasSizeLessThan(1024);
            byte[] chunk = new byte[64 * 1024];
            references.add(new WeakReference<>(chunk));
            CompletableFuture<Void> send = socket.send(new TCPSendOptions(chunk));
            stuck.add(send);
            references.add(new WeakReference<>(send));
            Await.result(nio.effectiveOptions());
        }
        // The peer never reads: close waits for the queue up to socketTimeout, then fails what is left.
        Await.result(socket.close());
        assertThat(stuck.get(stuck.size() - 1)).isCompletedExceptionally();
        assertThat(nio.pendingBytes()).isZero();
        references.add(new WeakReference<>(socket));
        return references;
    }

    private static void assertAllCollected(List<WeakReference<?>> references) {
        await().atMost(Duration.ofSeconds(Await.SECONDS)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            System.gc();
            assertThat(references).as("objects still reachable after close")
                .allSatisfy(reference -> assertThat(reference.get()).isNull());
        });
    }

}
