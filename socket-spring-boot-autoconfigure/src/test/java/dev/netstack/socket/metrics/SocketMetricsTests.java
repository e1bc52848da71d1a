package dev.netstack.socket.metrics;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.Errors;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.nio.UdpKernelDrops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class SocketMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final SocketConnectMetrics connectMetrics = new SocketConnectMetrics();

    private final NioSocketFactory factory = new NioSocketFactory(
            SocketSettings.builder().ioThreads(1).observer(this.connectMetrics).build());

    @AfterEach
    void close() {
        this.factory.close();
        this.registry.close();
    }

    @Test
    void bytesAndMessagesMatchTheTrafficPerProtocol() throws Exception {
        new SocketMetrics(this.factory).bindTo(this.registry);
        UDPSocket receiver = bound();
        BlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, received::add);
        UDPSocket sender = bound();
        NetAddress to = receiver.getLocalAddress().get();
        for (int size : new int[] { 5, 10, 100, 0 }) {
            sender.send(new UDPSendOptions(new byte[size], to)).get();
            assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(counter("socket.bytes.received", "udp")).isEqualTo(115);
        assertThat(counter("socket.bytes.sent", "udp")).isEqualTo(115);
        assertThat(counter("socket.messages.received", "udp")).isEqualTo(4);
        assertThat(counter("socket.messages.sent", "udp")).isEqualTo(4);
        assertThat(counter("socket.bytes.received", "tcp")).isZero();
        assertThat(counter("socket.messages.sent", "tcp")).isZero();
        FunctionCounter bytes = this.registry.get("socket.bytes.received").tag("protocol", "udp").functionCounter();
        assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(bytes.getId().getDescription()).isNotBlank();
    }

    @Test
    void everyErrorCodeHasACounterAndFailuresCountUnderTheirCode() throws Exception {
        new SocketMetrics(this.factory).bindTo(this.registry);
        assertThat(this.registry.find("socket.errors").tag("protocol", "udp").functionCounters())
            .hasSize(Errors.CODES.size());
        assertThat(this.registry.find("socket.errors").tag("protocol", "tcp").functionCounters())
            .hasSize(Errors.CODES.size());
        UDPSocket unbound = this.factory.constructUDPSocketInstance();
        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> unbound.send(new UDPSendOptions("x", new NetAddress("127.0.0.1", 9))).get());
        assertThat(errors("udp", BusinessError.NOT_BOUND)).isEqualTo(1);
        assertThat(errors("udp", BusinessError.PARAMETER_ERROR)).isZero();
        assertThat(errors("tcp", BusinessError.NOT_BOUND)).isZero();
    }

    @Test
    void activeGaugeCountsSocketsNotYetClosed() throws Exception {
        new SocketMetrics(this.factory).bindTo(this.registry);
        UDPSocket one = bound();
        this.factory.constructUDPSocketInstance();
        assertThat(gauge("socket.active", "udp").value()).isEqualTo(2);
        one.close().get();
        assertThat(gauge("socket.active", "udp").value()).isEqualTo(1);
        assertThat(gauge("socket.active", "tcp").value()).isZero();
        Gauge pending = gauge("socket.send.pending", "udp");
        assertThat(pending.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(pending.value()).isZero();
    }

    @Test
    void callbackFailuresIncludeEventListenerFailuresAndDroppedEventsAreReported() throws Exception {
        new SocketMetrics(this.factory, (type) -> (type == SocketEventType.CLOSE) ? 3 : 7, () -> 2)
            .bindTo(this.registry);
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.on(SocketEventType.LISTENING, (nothing) -> {
            throw new IllegalStateException("callback failure");
        });
        socket.bind(new NetAddress("127.0.0.1", 0)).get();
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(this.registry.get("socket.callback.failures").functionCounter().count())
                .isEqualTo(3));
        assertThat(this.registry.get("socket.events.dropped").tag("type", "message").functionCounter().count())
            .isEqualTo(7);
        assertThat(this.registry.get("socket.events.dropped").tag("type", "close").functionCounter().count())
            .isEqualTo(3);
        assertThat(this.registry.get("socket.events.dropped").functionCounters()).extracting(FunctionCounter::count)
            .containsExactlyInAnyOrder(7.0, 7.0, 7.0, 3.0, 7.0);
    }

    @Test
    void loopInterruptsAreRegisteredUpFrontAtZero() {
        new SocketMetrics(this.factory).bindTo(this.registry);
        FunctionCounter interrupts = this.registry.get("socket.loop.interrupts").functionCounter();
        assertThat(interrupts.count()).isZero();
        assertThat(interrupts.getId().getTags()).isEmpty();
        assertThat(interrupts.getId().getDescription()).isNotBlank();
    }

    @Test
    void connectTimerRecordsEachOutcome() {
        this.connectMetrics.bindTo(this.registry);
        NioSocket socket = (NioSocket) this.factory.constructTCPSocketInstance();
        this.connectMetrics.connectCompleted(socket, TimeUnit.MILLISECONDS.toNanos(3), null);
        this.connectMetrics.connectCompleted(socket, TimeUnit.MILLISECONDS.toNanos(5), null);
        this.connectMetrics.connectCompleted(socket, TimeUnit.MILLISECONDS.toNanos(40),
                new BusinessError(BusinessError.CONNECTION_REFUSED, "refused"));
        Timer success = this.registry.get("socket.connect").tags("protocol", "tcp", "outcome", "success").timer();
        Timer failure = this.registry.get("socket.connect").tags("protocol", "tcp", "outcome", "failure").timer();
        assertThat(success.count()).isEqualTo(2);
        assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8);
        assertThat(failure.count()).isEqualTo(1);
        assertThat(failure.max(TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void connectsBeforeBindingAreNotRecordedAndNothingFails() {
        NioSocket socket = (NioSocket) this.factory.constructTCPSocketInstance();
        this.connectMetrics.connectCompleted(socket, 1000, null);
        this.connectMetrics.bindTo(this.registry);
        assertThat(this.registry.get("socket.connect").tags("outcome", "success").timer().count()).isZero();
    }

    @Test
    void datagramsDroppedByTheAccessPolicyAndByTheKernelAreMetered() throws Exception {
        try (DatagramChannel denied = DatagramChannel.open(); DatagramChannel allowed = DatagramChannel.open()) {
            denied.bind(new InetSocketAddress("127.0.0.1", 0));
            allowed.bind(new InetSocketAddress("127.0.0.1", 0));
            int deniedPort = ((InetSocketAddress) denied.getLocalAddress()).getPort();
            try (NioSocketFactory guarded = new NioSocketFactory(SocketSettings.builder()
                .ioThreads(1)
                .accessPolicy(AccessPolicy.of(List.of(), List.of("127.0.0.1:" + deniedPort)))
                .build())) {
                new SocketMetrics(guarded).bindTo(this.registry);
                UDPSocket receiver = guarded.constructUDPSocketInstance();
                BlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
                receiver.on(SocketEventType.MESSAGE, received::add);
                receiver.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", receiver.getLocalAddress().get().port());
                denied.send(ByteBuffer.wrap(new byte[3]), to);
                allowed.send(ByteBuffer.wrap(new byte[4]), to);
                assertThat(received.poll(5, TimeUnit.SECONDS).size()).isEqualTo(4);

                assertThat(counter("socket.messages.dropped", "udp")).isEqualTo(1);
                assertThat(counter("socket.messages.dropped", "tcp")).isZero();
                assertThat(counter("socket.messages.received", "udp")).isEqualTo(1);
                assertThat(this.registry.get("socket.messages.dropped").tag("protocol", "udp").functionCounter()
                    .getId().getBaseUnit()).isEqualTo("messages");
                if (UdpKernelDrops.isAvailable()) {
                    Gauge kernel = gauge("socket.kernel.drops", "udp");
                    assertThat(kernel.value()).isZero();
                    assertThat(kernel.getId().getDescription()).isNotBlank();
                }
                else {
                    assertThat(this.registry.find("socket.kernel.drops").gauge()).isNull();
                }
            }
        }
    }

    private UDPSocket bound() throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        return socket;
    }

    private double counter(String name, String protocol) {
        return this.registry.get(name).tag("protocol", protocol).functionCounter().count();
    }

    private double errors(String protocol, int code) {
        return this.registry.get("socket.errors")
            .tags("protocol", protocol, "code", Integer.toString(code))
            .functionCounter()
            .count();
    }

    private Gauge gauge(String name, String protocol) {
        return this.registry.get(name).tag("protocol", protocol).gauge();
    }

}
