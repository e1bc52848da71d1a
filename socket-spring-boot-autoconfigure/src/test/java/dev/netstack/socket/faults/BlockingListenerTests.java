package dev.netstack.socket.faults;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.EventLoop;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A listener that blocks. The contract: {@code on()} callbacks run on their socket's event loop and must not block;
 * one that does stalls every socket of its own loop until it returns, and no other. With two loops, the sockets of the
 * other loop go on sending and receiving, UDP and TCP; the stalled loop catches up once the callback returns.
 * (Spring application events are delivered off the loops, so a blocking {@code @EventListener} stalls nothing:
 * {@code SocketEventPublisherTests.blockingListenerNeverStallsTheIoOfAnySocket}.)
 */
@Timeout(30)
class BlockingListenerTests {

    private static final String PREFIX = "socket-io-BlockingListenerTests-";

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(2).threadNamePrefix(PREFIX).build());

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        this.release.countDown();
        this.factory.close();
    }

    @Test
    void aBlockingCallbackStallsOnlyItsOwnLoopAndTheOtherLoopsSocketsGoOn() throws Exception {
        // Sockets are spread round-robin: the 1st, 3rd, 5th land on loop 1, the 2nd, 4th, 6th on loop 2.
        UDPSocket blocker = this.factory.constructUDPSocketInstance();
        UDPSocket x = this.factory.constructUDPSocketInstance();
        UDPSocket neighbour = this.factory.constructUDPSocketInstance();
        UDPSocket y = this.factory.constructUDPSocketInstance();
        this.factory.constructUDPSocketInstance().close();
        TCPSocket tcp = this.factory.constructTCPSocketInstance();
        assertThat(loopOf(blocker)).isEqualTo(PREFIX + "1").isEqualTo(loopOf(neighbour));
        assertThat(loopOf(x)).isEqualTo(PREFIX + "2").isEqualTo(loopOf(y));

        CountDownLatch blocked = new CountDownLatch(1);
        blocker.on(SocketEventType.MESSAGE, message -> {
            blocked.countDown();
            awaitRelease();
        });
        LinkedBlockingQueue<String> atNeighbour = inbox(neighbour);
        LinkedBlockingQueue<String> atX = inbox(x);
        LinkedBlockingQueue<String> atY = inbox(y);
        LinkedBlockingQueue<String> atTcp = new LinkedBlockingQueue<>();
        tcp.on(SocketEventType.MESSAGE, message -> atTcp.add(message.text()));

        try (LoopbackServer server = new LoopbackServer()) {
            CompletableFuture<String> tcpLoop = new CompletableFuture<>();
            tcp.connect(new TCPConnectOptions(server.address()), (error, nothing) -> tcpLoop
                .complete((error == null) ? Thread.currentThread().getName() : error.toString()));
            assertThat(tcpLoop.get(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo(PREFIX + "2");
            Socket peer = server.accept();

            NetAddress addressOfNeighbour = Await.result(neighbour.getLocalAddress());
            Await.result(x.send(new UDPSendOptions("block", Await.result(blocker.getLocalAddress()))));
            assertThat(blocked.await(Await.SECONDS, TimeUnit.SECONDS)).as("the callback blocks loop 1").isTrue();

            // Loop 2 goes on: UDP both ways, TCP both ways.
            NetAddress addressOfX = Await.result(x.getLocalAddress());
            NetAddress addressOfY = Await.result(y.getLocalAddress());
            for (int i = 0; i < 100; i++) {
                Await.result(x.send(new UDPSendOptions("x" + i, addressOfY)));
                Await.result(y.send(new UDPSendOptions("y" + i, addressOfX)));
                assertThat(atY.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("x" + i);
                assertThat(atX.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("y" + i);
            }
            Await.result(tcp.send(new TCPSendOptions("over tcp")));
            assertThat(new String(LoopbackServer.readExactly(peer, 8), StandardCharsets.US_ASCII)).isEqualTo("over tcp");
            peer.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
            assertThat(atTcp.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("back");

            // Loop 1 is stalled, as the contract says: its sockets wait, even for a result that needs no I/O,
            // since results are delivered on the socket's loop.
            Await.result(y.send(new UDPSendOptions("to the neighbour", addressOfNeighbour)));
            CompletableFuture<NetAddress> stalledResult = neighbour.getLocalAddress();
            EventLoop loop1 = this.factory.eventLoops().loops().get(0);
            assertThatExceptionOfType(TimeoutException.class)
                .isThrownBy(() -> loop1.probe().get(200, TimeUnit.MILLISECONDS));
            assertThat(atNeighbour).isEmpty();
            assertThat(stalledResult).isNotDone();

            // The callback returns: loop 1 catches up, in order.
            this.release.countDown();
            assertThat(atNeighbour.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("to the neighbour");
            assertThat(Await.result(stalledResult)).isEqualTo(addressOfNeighbour);
            assertThat(loop1.probe().get(Await.SECONDS, TimeUnit.SECONDS)).isPositive();
        }
    }

    private static String loopOf(UDPSocket socket) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        socket.on(SocketEventType.LISTENING, nothing -> thread.complete(Thread.currentThread().getName()));
        Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
        return thread.get(Await.SECONDS, TimeUnit.SECONDS);
    }

    private static LinkedBlockingQueue<String> inbox(UDPSocket socket) {
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.MESSAGE, message -> inbox.add(message.text()));
        return inbox;
    }

    private void awaitRelease() {
        try {
            this.release.await(Await.SECONDS * 2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
