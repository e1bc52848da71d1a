package dev.netstack.socket.faults;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener that throws, for every event a socket emits and for a result callback: the event still reaches the
 * other listeners, the operation still completes, I/O goes on, and each throw is logged (WARNING, naming the socket,
 * the event and the exception) and counted in {@code stats().callbackFailures()}.
 *
 * <p>{@code UdpEventTests} and {@code TcpEventTests} already prove a throwing 'message' callback is counted and later
 * messages arrive; this class covers the other events and the log.
 */
@Timeout(30)
class ThrowingListenerTests {

    private static final String DISPATCHER = "dev.netstack.socket.nio.Dispatcher";

    private final NioSocketFactory factory = NioSocketFactory.create(
            SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-ThrowingListenerTests-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void udpListenersThatThrowOnEveryEventAreLoggedCountedAndIoGoesOn() throws Exception {
        try (LogRecords log = LogRecords.of(DISPATCHER)) {
            UDPSocket receiver = this.factory.constructUDPSocketInstance();
            UDPSocket sender = this.factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            receiver.on(SocketEventType.LISTENING, nothing -> {
                throw new IllegalStateException("thrown on purpose by a 'listening' callback");
            });
            receiver.on(SocketEventType.MESSAGE, message -> {
                throw new IllegalStateException("thrown on purpose by a 'message' callback");
            });
            receiver.on(SocketEventType.MESSAGE, message -> received.add(message.text()));
            receiver.on(SocketEventType.CLOSE, nothing -> {
                throw new IllegalStateException("thrown on purpose by a 'close' callback");
            });
            Await.result(receiver.bind(new NetAddress("127.0.0.1", 0)));
            Await.result(sender.bind(new NetAddress("127.0.0.1", 0)));
            NetAddress to = Await.result(receiver.getLocalAddress());

            for (int i = 0; i < 3; i++) {
                Await.result(sender.send(new UDPSendOptions("datagram " + i, to)));
            }
            assertThat(List.of(poll(received), poll(received), poll(received)))
                .containsExactlyInAnyOrder("datagram 0", "datagram 1", "datagram 2");
            CountDownLatch resultCalled = new CountDownLatch(1);
            sender.send(new UDPSendOptions("datagram 3", to), (error, nothing) -> {
                resultCalled.countDown();
                throw new IllegalStateException("thrown on purpose by a result callback");
            });
            assertThat(resultCalled.await(Await.SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(poll(received)).isEqualTo("datagram 3");
            Await.result(receiver.close());
            assertThat(Await.result(receiver.getState()).isClose()).isTrue();
            // The sender, on the same loop, still works.
            Await.result(sender.send(new UDPSendOptions("after", to)));

            // listening 1, message 4, result 1, close 1.
            assertThat(this.factory.stats().callbackFailures()).isEqualTo(7);
            assertLogged(log, 7, "'listening' callback of UDP socket #1", "'message' callback of UDP socket #1",
                    "result callback of UDP socket #2", "'close' callback of UDP socket #1");
        }
    }

    @Test
    void tcpListenersThatThrowOnEveryEventAreLoggedCountedAndIoGoesOn() throws Exception {
        try (LogRecords log = LogRecords.of(DISPATCHER); LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            for (SocketEventType<?> type : List.of(SocketEventType.CONNECT, SocketEventType.MESSAGE,
                    SocketEventType.ERROR, SocketEventType.CLOSE)) {
                socket.on(type, payload -> {
                    throw new IllegalStateException("thrown on purpose by a '" + type.name() + "' callback");
                });
            }
            EventLog events = EventLog.of(socket);
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.MESSAGE, message -> received.add(message.text()));

            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            OutputStream out = peer.getOutputStream();
            out.write("one".getBytes(StandardCharsets.US_ASCII));
            assertThat(poll(received)).isEqualTo("one");
            Await.result(socket.send(new TCPSendOptions("still sending")));
            assertThat(new String(LoopbackServer.readExactly(peer, 13), StandardCharsets.US_ASCII))
                .isEqualTo("still sending");
            // A reset: 'error' and 'close', both with a throwing callback first, both still reach the log.
            peer.setSoLinger(true, 0);
            peer.close();
            assertThat(events.nextNonMessage()).isEqualTo("connect");
            assertThat(events.nextNonMessage()).startsWith("error:");
            assertThat(events.nextNonMessage()).isEqualTo("close");

            assertThat(this.factory.stats().callbackFailures()).isEqualTo(4);
            assertLogged(log, 4, "'connect' callback of TCP socket #1", "'message' callback of TCP socket #1",
                    "'error' callback of TCP socket #1", "'close' callback of TCP socket #1");
        }
    }

    private static String poll(LinkedBlockingQueue<String> queue) throws InterruptedException {
        String next = queue.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(next).as("a message within %d s", Await.SECONDS).isNotNull();
        return next;
    }

    private static void assertLogged(LogRecords log, int count, String... mentions) {
        List<LogRecord> records = log.records();
        assertThat(records).hasSize(count).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("threw; the socket goes on");
            assertThat(record.getThrown()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("thrown on purpose");
        });
        for (String mention : mentions) {
            assertThat(records).as("a record naming %s", mention)
                .anyMatch(record -> record.getMessage().contains(mention));
        }
    }

}
