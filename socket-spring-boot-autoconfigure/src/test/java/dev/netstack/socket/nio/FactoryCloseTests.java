package dev.netstack.socket.nio;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing a factory completes everything it accepted, whoever closes it and however: host-name look-ups that never
 * end, a second close while the first runs, a close from a socket callback, a closing thread that is interrupted.
 */
@Timeout(60)
class FactoryCloseTests extends FactoryTestSupport {

    private static final int EIGHT_MIB = 8 * 1024 * 1024;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private List<String> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(name -> name.startsWith(this.prefix) && !name.contains("resolver")).toList();
    }

    private static <T> CompletableFuture<T> inThread(String name, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.call());
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** A connected TCP socket, and the peer's end of its connection. */
    private record Connection(TCPSocket socket, Socket peer) {
    }

    private Connection connect(int peerReceiveBuffer) throws Exception {
        LoopbackServer server = new LoopbackServer("127.0.0.1", peerReceiveBuffer);
        this.closeAfter.add(server);
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        Await.result(socket.connect(new TCPConnectOptions(server.address())));
        return new Connection(socket, server.accept());
    }

    /**
     * Sends 8 MiB on a connection whose peer starts reading only once the factory is closing, so that the close must
     * flush them.
     */
    private PendingFlush eightMibToAPeerThatReadsOnceClosing() throws Exception {
        factory(1, HostResolver.SYSTEM);
        Connection connection = connect(0);
        CompletableFuture<byte[]> received = inThread("peer-reader", () -> {
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(this.factory::isClosed);
            return LoopbackServer.readToEnd(connection.peer());
        });
        byte[] data = new byte[EIGHT_MIB];
        new Random(7).nextBytes(data);
        return new PendingFlush(connection.socket(), connection.socket().send(new TCPSendOptions(data)), received, data);
    }

    /** A send waiting to be flushed, and what its peer will have read. */
    private record PendingFlush(TCPSocket socket, CompletableFuture<Void> send, CompletableFuture<byte[]> received,
            byte[] data) {

        void assertDelivered() throws Exception {
            Await.result(this.send);
            assertThat(this.received.get(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo(this.data);
        }

    }

    @Test
    void closingCompletesEveryOperationThatWaitsForALookUpThatNeverEnds() throws Exception {
        standInFactory(2, Integer.MAX_VALUE);
        UDPSocket udp = this.factory.constructUDPSocketInstance();
        Await.result(udp.bind(new NetAddress("127.0.0.1", 0)));
        TCPSocket tcp = this.factory.constructTCPSocketInstance();
        List<CompletableFuture<Void>> byName = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byName.add(udp.send(new UDPSendOptions("to a name " + i, new NetAddress(StandInLookup.NAME, 9))));
        }
        byName.add(tcp.connect(new TCPConnectOptions(new NetAddress(StandInLookup.NAME, 9))));
        CompletableFuture<Void> literalAfterThem = udp.send(new UDPSendOptions("to a literal",
                new NetAddress("127.0.0.1", 9)));
        this.lookup.awaitHolding();

        boolean outcome = this.factory.close(Duration.ofMillis(500));

        assertThat(outcome).as("the look-ups did not end within the timeout").isFalse();
        assertThat(byName).allSatisfy(operation -> assertThat(operation).isDone());
        for (CompletableFuture<Void> operation : byName) {
            BusinessError error = Await.failure(operation);
            assertThat(error.getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(error.getMessage()).contains("factory was closed");
        }
        assertThat(literalAfterThem).as("a send behind the look-ups still gets its result").isDone();
        Await.result(literalAfterThem);
        assertThat(loopThreads()).isEmpty();
    }

    @Test
    void aSecondConcurrentCloseWaitsForTheFirstAndReportsTheSameOutcome() throws Exception {
        factory(1, HostResolver.SYSTEM);
        Connection connection = connect(64 * 1024);
        // The peer never reads: the send cannot finish, so the first close runs for its whole timeout and fails.
        CompletableFuture<Void> send = connection.socket().send(new TCPSendOptions(new byte[EIGHT_MIB]));
        CompletableFuture<Boolean> first = inThread("first-close", () -> this.factory.close(Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(Await.SECONDS)).until(this.factory::isClosed);

        boolean second = this.factory.close(Duration.ofSeconds(30));

        assertThat(loopThreads()).as("threads left when the second close returned").isEmpty();
        assertThat(second).isFalse();
        assertThat(first.get(Await.SECONDS, TimeUnit.SECONDS)).isFalse();
        assertThat(Await.failure(send).getCode()).isEqualTo(BusinessError.NOT_BOUND);
    }

    @Test
    void closingFromASocketCallbackDoesNotWaitOnItsOwnLoopAndAcceptedSendsStillFlush() throws Exception {
        PendingFlush flush = eightMibToAPeerThatReadsOnceClosing();
        CompletableFuture<Boolean> fromCallback = new CompletableFuture<>();

        flush.socket().getState((error, state) -> fromCallback.complete(this.factory.close(TIMEOUT)));

        assertThat(fromCallback.get(Await.SECONDS, TimeUnit.SECONDS))
            .as("on a loop thread close() returns at once, before the shutdown has ended").isFalse();
        flush.assertDelivered();
        assertThat(this.factory.close(TIMEOUT)).as("a later close waits for that shutdown and tells its outcome").isTrue();
        assertThat(loopThreads()).isEmpty();
    }

    @Test
    void anInterruptedClosingThreadStillFlushesAndKeepsItsInterruptFlag() throws Exception {
        PendingFlush flush = eightMibToAPeerThatReadsOnceClosing();

        Thread.currentThread().interrupt();
        boolean outcome = this.factory.close(TIMEOUT);
        boolean stillInterrupted = Thread.interrupted();

        assertThat(stillInterrupted).isTrue();
        assertThat(outcome).isTrue();
        flush.assertDelivered();
    }

}
