package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends that reach the loop together leave together: the loop writes a socket's queue once it has run the tasks of
 * its turn, so a burst costs one gathering write, not one system call per send. Counted as the kernel counts the
 * loop thread's writes ({@code syscw} in {@code /proc/self/task/<tid>/io}, which counts {@code write} and
 * {@code writev} alike).
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX)
class BurstSendTests {

    private static final String LOOP_THREAD = "burst-io-1";

    private static final int SENDS = 64;

    private static final int SIZE = 1000;

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(1).threadNamePrefix("burst-io-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void sendsThatQueuedWhileTheLoopWasBusyGoOutInOneWriteAndInOrder() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            Path loopIo = taskIo(LOOP_THREAD);
            EventLoop loop = this.factory.eventLoops().loops().get(0);

            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(Await.SECONDS, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            byte[] expected = new byte[SENDS * SIZE];
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < SENDS; i++) {
                byte[] data = new byte[SIZE];
                Arrays.fill(data, (byte) i);
                System.arraycopy(data, 0, expected, i * SIZE, SIZE);
                sends.add(socket.send(new TCPSendOptions(data)));
            }
            long writesBefore = writeCalls(loopIo);
            release.countDown();
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(Await.SECONDS, TimeUnit.SECONDS);
            long writes = writeCalls(loopIo) - writesBefore;

            assertThat(LoopbackServer.readExactly(peer, expected.length)).isEqualTo(expected);
            // One gathering write takes all 64 KB; one per send would be 64.
            assertThat(writes).as("write system calls of the loop thread for %d sends", SENDS).isEqualTo(1);
        }
    }

    /** The kernel's I/O accounting of the thread with this name. */
    private static Path taskIo(String threadName) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(threadName)) {
                    return task.resolve("io");
                }
            }
        }
        throw new IllegalStateException("no thread named " + threadName);
    }

    private static long writeCalls(Path io) throws IOException {
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring("syscw:".length()).strip());
            }
        }
        throw new IllegalStateException("no syscw in " + io);
    }

}
