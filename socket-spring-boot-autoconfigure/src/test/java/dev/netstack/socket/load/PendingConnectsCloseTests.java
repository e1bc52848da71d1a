package dev.netstack.socket.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.FullBacklog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two thousand sockets whose connects wait on a listener that drops every SYN, each with a connect timer on the same
 * loop, closed at once: each connect fails with 2301009, each socket fires 'close' once, and cancelling the timers
 * takes no time that grows with the square of their number.
 */
@Timeout(60)
class PendingConnectsCloseTests {

    private static final int SOCKETS = 2000;

    private final NioSocketFactory factory = NioSocketFactory.create(
            SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-PendingConnectsCloseTests-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void closingThousandsOfSocketsWithPendingConnectsFailsEachConnectAndEndsQuickly() throws Exception {
        Descriptors.assumeFree(SOCKETS + 512L, SOCKETS + " connecting sockets");
        try (FullBacklog silent = new FullBacklog()) {
            List<TCPSocket> sockets = new ArrayList<>(SOCKETS);
            List<CompletableFuture<Void>> connects = new ArrayList<>(SOCKETS);
            List<CompletableFuture<Void>> closeEvents = new ArrayList<>(SOCKETS);
            for (int i = 0; i < SOCKETS; i++) {
                TCPSocket socket = this.factory.constructTCPSocketInstance();
                CompletableFuture<Void> closeEvent = new CompletableFuture<>();
                socket.on(SocketEventType.CLOSE, (nothing) -> closeEvent.complete(null));
                sockets.add(socket);
                closeEvents.add(closeEvent);
                connects.add(socket.connect(new TCPConnectOptions(silent.address(), 60_000)));
            }
            // A round trip through the loop: every connect queued before it has started and armed its timer.
            ((NioSocket) sockets.get(SOCKETS - 1)).effectiveOptions().get(30, TimeUnit.SECONDS);
            assertThat(connects).noneMatch(CompletableFuture::isDone);

            long started = System.nanoTime();
            CompletableFuture<?>[] closes = sockets.stream().map(TCPSocket::close).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(closes).get(30, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            for (CompletableFuture<Void> connect : connects) {
                BusinessError error = failure(connect);
                assertThat(error.getCode()).isEqualTo(BusinessError.NOT_BOUND);
                assertThat(error.getMessage()).contains("closed while connecting");
            }
            assertThat(closeEvents).allMatch(CompletableFuture::isDone);
            assertThat(this.factory.sockets()).isEmpty();
            assertThat(elapsedMillis).as("milliseconds to close %d connecting sockets", SOCKETS).isLessThan(10_000);
        }
    }

    private static BusinessError failure(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            return (BusinessError) ex.getCause();
        }
        throw new AssertionError("the connect succeeded");
    }

}
