package dev.netstack.socket.autoconfigure;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.nio.NioSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's way to tell sockets apart in an {@code @EventListener}: a {@code condition} on the event's socket, its
 * id, or its local port, compared with a bean's own socket. Real datagrams on loopback reach the listener of their
 * socket only.
 */
@Timeout(60)
class SocketEventListenerConditionTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1")
        .withBean("telemetry", Telemetry.class)
        .withBean(Listeners.class);

    @Test
    void conditionsSelectTheEventsOfOneSocket() {
        this.contextRunner.run((context) -> {
            Telemetry telemetry = context.getBean(Telemetry.class);
            Listeners listeners = context.getBean(Listeners.class);
            UDPSocket other = context.getBean(SocketFactory.class).constructUDPSocketInstance();
            other.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                // One at a time, so that the order of the events is the order of the sends.
                send(peer, "first", telemetry.getPort());
                assertThat(next(listeners.all)).isEqualTo("first");
                send(peer, "other", other.getLocalAddress().get(10, TimeUnit.SECONDS).port());
                // Offered to every listener before the last datagram is even sent: a condition that let it through
                // would put it between "first" and "last".
                assertThat(next(listeners.all)).isEqualTo("other");
                send(peer, "last", telemetry.getPort());
            }
            for (BlockingQueue<String> selected : List.of(listeners.bySocket, listeners.byId, listeners.byPort)) {
                assertThat(next(selected)).isEqualTo("first");
                assertThat(next(selected)).isEqualTo("last");
            }
        });
    }

    private static void send(DatagramSocket peer, String text, int port) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
    }

    private static String next(BlockingQueue<String> queue) throws InterruptedException {
        String text = queue.poll(10, TimeUnit.SECONDS);
        assertThat(text).as("an event within 10 s").isNotNull();
        return text;
    }

    /**
     * A bean with a socket of its own, as in the README.
     */
    public static class Telemetry {

        private final UDPSocket socket;

        private final int port;

        public Telemetry(SocketFactory sockets) throws Exception {
            this.socket = sockets.constructUDPSocketInstance();
            this.socket.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            this.port = this.socket.getLocalAddress().get(10, TimeUnit.SECONDS).port();
        }

        public UDPSocket getSocket() {
            return this.socket;
        }

        public long getSocketId() {
            return ((NioSocket) this.socket).id();
        }

        public int getPort() {
            return this.port;
        }

    }

    /**
     * One listener per way of selecting the telemetry socket, and one for every socket.
     */
    public static class Listeners {

        final BlockingQueue<String> all = new LinkedBlockingQueue<>();

        final BlockingQueue<String> bySocket = new LinkedBlockingQueue<>();

        final BlockingQueue<String> byId = new LinkedBlockingQueue<>();

        final BlockingQueue<String> byPort = new LinkedBlockingQueue<>();

        @EventListener
        void onAnyMessage(SocketMessageEvent event) {
            this.all.add(event.getMessage().text());
        }

        @EventListener(condition = "#event.socket == @telemetry.socket")
        void onTelemetryMessage(SocketMessageEvent event) {
            this.bySocket.add(event.getMessage().text());
        }

        @EventListener(condition = "#event.socketId == @telemetry.socketId")
        void onTelemetryMessageById(SocketMessageEvent event) {
            this.byId.add(event.getMessage().text());
        }

        @EventListener(condition = "#event.protocol == 'udp' and #event.localAddress.port == @telemetry.port")
        void onTelemetryMessageByPort(SocketMessageEvent event) {
            this.byPort.add(event.getMessage().text());
        }

    }

}
