package dev.netstack.socket.server;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.faults.LogRecords;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server writes to the log: its own listen and close at INFO, the end of each accepted connection at DEBUG
 * only, so that a server that accepts thousands of connections a second does not write (and format) a line each.
 */
@Timeout(30)
class ServerLogTests {

    private static final int PEERS = 3;

    @Test
    void acceptedConnectionsLogTheirEndAtDebugAndTheServerAtInfo() throws Exception {
        Logger engine = Logger.getLogger("dev.netstack.socket");
        Level level = engine.getLevel();
        engine.setLevel(Level.ALL);
        try (LogRecords log = LogRecords.of("dev.netstack.socket");
                NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build())) {
            TCPSocketServer server = factory.constructTCPSocketServerInstance();
            CountDownLatch closed = new CountDownLatch(PEERS);
            server.on(TCPSocketServer.CONNECT, connection -> {
                connection.on(SocketEventType.CLOSE, nothing -> closed.countDown());
                connection.close();
            });
            Await.result(server.listen(new NetAddress("127.0.0.1", 0)));
            int port = Await.result(server.getLocalAddress()).port();
            List<Socket> peers = new ArrayList<>();
            try {
                for (int i = 0; i < PEERS; i++) {
                    peers.add(new Socket("127.0.0.1", port));
                }
                assertThat(closed.await(10, TimeUnit.SECONDS)).as("the server closed every connection").isTrue();
            }
            finally {
                for (Socket peer : peers) {
                    peer.close();
                }
            }
            Await.result(server.close());

            List<LogRecord> records = log.records();
            assertThat(records).filteredOn(record -> record.getMessage().startsWith("TCP connection"))
                .as("a line per connection end, at DEBUG").hasSize(PEERS)
                .allMatch(record -> record.getLevel() == Level.FINE);
            assertThat(records).filteredOn(record -> record.getLevel().intValue() >= Level.INFO.intValue())
                .as("the server's own lines at INFO").extracting(LogRecord::getMessage)
                .anyMatch(message -> message.startsWith("TCP server") && message.contains("listening"))
                .anyMatch(message -> message.startsWith("TCP server") && message.endsWith("closed"))
                .noneMatch(message -> message.startsWith("TCP connection"));
        }
        finally {
            engine.setLevel(level);
        }
    }

}
