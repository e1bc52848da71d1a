package dev.netstack.socket.local;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketConnection;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.SocketFactory;

import static dev.netstack.socket.tcp.Await.result;
import static org.awaitility.Awaitility.await;

/**
 * Local servers of the project's own that the tests talk to: one that echoes every chunk, and one that only keeps
 * what it receives.
 */
final class LocalServers {

    private LocalServers() {
    }

    /** A server on {@code path} whose connections send back every chunk they receive. */
    static Echo echo(SocketFactory factory, String path) throws Exception {
        return listen(factory, path, true);
    }

    /** A server on {@code path} whose connections keep what they receive. */
    static Echo sink(SocketFactory factory, String path) throws Exception {
        return listen(factory, path, false);
    }

    private static Echo listen(SocketFactory factory, String path, boolean echoes) throws Exception {
        LocalSocketServer server = factory.constructLocalSocketServerInstance();
        Echo echo = new Echo(server);
        server.on(LocalSocketServer.CONNECT, connection -> {
            echo.connection.complete(connection);
            Inbox inbox = new Inbox(connection);
            echo.inbox.complete(inbox);
            if (echoes) {
                connection.on(LocalSocket.MESSAGE, message -> connection.send(new LocalSendOptions(message.message())));
            }
        });
        result(server.listen(new LocalAddress(path)));
        return echo;
    }

    /** A listening server and the first connection it accepted. */
    static final class Echo {

        private final LocalSocketServer server;

        private final CompletableFuture<LocalSocketConnection> connection = new CompletableFuture<>();

        private final CompletableFuture<Inbox> inbox = new CompletableFuture<>();

        Echo(LocalSocketServer server) {
            this.server = server;
        }

        LocalSocketServer server() {
            return this.server;
        }

        LocalSocketConnection connection() throws Exception {
            return result(this.connection);
        }

        Set<String> addresses() throws Exception {
            return result(this.inbox).addresses();
        }

        byte[] awaitReceived(int count) throws Exception {
            Inbox received = result(this.inbox);
            await().atMost(30, TimeUnit.SECONDS).until(() -> received.bytes().length >= count);
            return received.bytes();
        }

    }

}
