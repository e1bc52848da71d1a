package dev.netstack.socket.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.hygiene.ProcessCounts;
import dev.netstack.socket.load.Descriptors;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.netstack.socket.tcp.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand local connections open at once, each echoed its own bytes exactly; afterwards the process's
 * descriptors and the directory's socket files are back where they started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalLoadTests {

    private static final int CONNECTIONS = 1000;

    private static final int MESSAGE_SIZE = 2048;

    @TempDir
    Path dir;

    @Test
    void aThousandConcurrentConnectionsEachGetTheirOwnBytesBackAndNothingIsLeft() throws Exception {
        Assumptions.assumeTrue(ProcessCounts.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        Descriptors.assumeFree(2L * CONNECTIONS + 512, CONNECTIONS + " local connections");
        long descriptorsBefore = ProcessCounts.descriptors();
        String path = this.dir.resolve("load.sock").toString();
        NioSocketFactory servers = factory("socket-io-local-load-server-");
        NioSocketFactory clients = factory("socket-io-local-load-client-");
        try {
            LocalServers.echo(servers, path);
            List<LocalSocket> sockets = new ArrayList<>();
            List<Inbox> inboxes = new ArrayList<>();
            List<CompletableFuture<Void>> connects = new ArrayList<>();
            CountDownLatch echoed = new CountDownLatch(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                LocalSocket socket = clients.constructLocalSocketInstance();
                sockets.add(socket);
                inboxes.add(new Inbox(socket));
                int[] received = new int[1];
                // On the socket's loop, one message at a time: a plain counter per socket is enough.
                socket.on(LocalSocket.MESSAGE, message -> {
                    received[0] += message.size();
                    if (received[0] == MESSAGE_SIZE) {
                        echoed.countDown();
                    }
                });
                connects.add(socket.connect(new LocalConnectOptions(new LocalAddress(path), 30000)));
            }
            for (CompletableFuture<Void> connect : connects) {
                result(connect);
            }
            // Every connection is open now; each sends its own pattern, and all are in flight together.
            await().atMost(30, TimeUnit.SECONDS).until(() -> servers.sockets().size() == CONNECTIONS + 1);
            for (int i = 0; i < CONNECTIONS; i++) {
                sockets.get(i).send(new LocalSendOptions(message(i)));
            }
            assertThat(echoed.await(60, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(inboxes.get(i).bytes()).as("connection %d", i).isEqualTo(message(i));
            }
        }
        finally {
            clients.close();
            servers.close();
        }
        try (var files = Files.list(this.dir)) {
            assertThat(files).isEmpty();
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> ProcessCounts.descriptors() <= descriptorsBefore);
    }

    private static NioSocketFactory factory(String threadNamePrefix) {
        return NioSocketFactory.create(SocketSettings.builder().ioThreads(2).threadNamePrefix(threadNamePrefix).build());
    }

    private static byte[] message(int connection) {
        byte[] bytes = new byte[MESSAGE_SIZE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (connection * 7 + i * 13);
        }
        return bytes;
    }

}
