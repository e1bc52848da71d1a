package dev.netstack.socket.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.actuate.SocketsEndpoint.SocketDescriptor;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SocketsEndpointTests {

    private final CountDownLatch release = new CountDownLatch(1);

    private NioSocketFactory factory;

    @AfterEach
    void close() {
        this.release.countDown();
        if (this.factory != null) {
            this.factory.close();
        }
    }

    @Test
    void describesEveryOpenSocketWithCountsAddressesAndOptionsReadBack() throws Exception {
        UDPExtraOptions defaults = new UDPExtraOptions();
        defaults.setBroadcast(true);
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(2).udpDefaults(defaults).build());
        Instant before = Instant.now();
        UDPSocket receiver = bound();
        BlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, received::add);
        UDPSocket sender = bound();
        UDPSocket unbound = this.factory.constructUDPSocketInstance();
        NetAddress to = receiver.getLocalAddress().get();
        sender.send(new UDPSendOptions("12345", to)).get();
        sender.send(new UDPSendOptions("123", to)).get();
        assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
        UDPSocket closed = bound();
        closed.close().get();

        var sockets = new SocketsEndpoint(this.factory).sockets().sockets();

        assertThat(sockets).extracting(SocketDescriptor::id)
            .containsExactly(id(receiver), id(sender), id(unbound));
        SocketDescriptor described = sockets.get(0);
        assertThat(described.protocol()).isEqualTo("udp");
        assertThat(described.state()).isEqualTo(new SocketStateBase(true, false, false));
        assertThat(described.localAddress()).isEqualTo(to);
        assertThat(described.remoteAddress()).isNull();
        assertThat(described.bytesReceived()).isEqualTo(8);
        assertThat(described.bytesSent()).isZero();
        assertThat(described.pendingBytes()).isZero();
        assertThat(described.openedAt()).isBetween(before, Instant.now());
        assertThat(described.options()).containsEntry("broadcast", true)
            .containsKeys("receiveBufferSize", "sendBufferSize", "reuseAddress", "socketTimeout");
        assertThat(sockets.get(1).bytesSent()).isEqualTo(8);
        assertThat(sockets.get(2).state()).isEqualTo(new SocketStateBase(false, false, false));
        assertThat(sockets.get(2).options()).isEmpty();
    }

    @Test
    void describesOneSocketByIdAndNothingForAnUnknownId() throws Exception {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());
        UDPSocket socket = bound();
        SocketsEndpoint endpoint = new SocketsEndpoint(this.factory);
        assertThat(endpoint.socket(id(socket)).localAddress()).isEqualTo(socket.getLocalAddress().get());
        assertThat(endpoint.socket(id(socket) + 100)).isNull();
    }

    @Test
    void answersInTimeWithoutOptionsWhileALoopIsStuck() throws Exception {
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());
        UDPSocket socket = bound();
        CountDownLatch blocking = new CountDownLatch(1);
        socket.on(SocketEventType.MESSAGE, (message) -> {
            blocking.countDown();
            try {
                this.release.await(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        UDPSocket sender = bound();
        sender.send(new UDPSendOptions("block", socket.getLocalAddress().get())).get();
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        var sockets = new SocketsEndpoint(this.factory, Duration.ofMillis(200)).sockets().sockets();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(sockets).hasSize(2).allSatisfy((described) -> {
            assertThat(described.options()).isNull();
            assertThat(described.state().isBound()).isTrue();
        });
    }

    private UDPSocket bound() throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        return socket;
    }

    private static long id(UDPSocket socket) {
        return ((NioSocket) socket).id();
    }

}
