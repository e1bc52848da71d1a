package dev.netstack.socket.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketListeningEvent;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.MulticastDefaults;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SocketAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=1");

    @Test
    void runShouldCreateFactoryLifecycleAndEventPublisher() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(SocketFactory.class);
            assertThat(context).hasSingleBean(NioSocketFactory.class);
            assertThat(context).hasSingleBean(SocketFactoryLifecycle.class);
            assertThat(context).hasSingleBean(SocketEventPublisher.class);
            NioSocketFactory factory = context.getBean(NioSocketFactory.class);
            assertThat(factory.settings().observers()).containsExactly(context.getBean(SocketEventPublisher.class));
        });
    }

    @Test
    void runWithoutPropertiesShouldUseDefaults() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class))
            .run((context) -> {
                SocketSettings settings = context.getBean(NioSocketFactory.class).settings();
                assertThat(settings.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
                assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
                assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(settings.sendTimeout()).isEqualTo(Duration.ofSeconds(20));
                assertThat(settings.sendQueueLimit()).isEqualTo(16L * 1024 * 1024);
                assertThat(settings.udpSendQueueLimit()).isEqualTo(4L * 1024 * 1024);
                assertThat(settings.udpDefaults()).isEqualTo(new UDPExtraOptions());
                assertThat(settings.tcpDefaults()).isEqualTo(new TCPExtraOptions());
                assertThat(settings.accessPolicy().allowsAll()).isTrue();
            });
    }

    @Test
    void runWithPropertiesShouldMapThemToSettings() {
        this.contextRunner
            .withPropertyValues("socket.io-threads=2", "socket.shutdown-timeout=3s",
                    "socket.udp.extra-options.broadcast=true", "socket.udp.extra-options.receive-buffer-size=65536",
                    "socket.udp.extra-options.send-buffer-size=32KB", "socket.udp.extra-options.reuse-address=true",
                    "socket.udp.extra-options.socket-timeout=20000", "socket.udp.send-queue-limit=512KB",
                    "socket.tcp.connect-timeout=7s",
                    "socket.tcp.send-queue-limit=1MB", "socket.tcp.extra-options.keep-alive=true",
                    "socket.tcp.extra-options.oob-inline=false", "socket.tcp.extra-options.tcp-no-delay=true",
                    "socket.tcp.extra-options.socket-linger.on=true", "socket.tcp.extra-options.socket-linger.linger=10",
                    "socket.tcp.extra-options.receive-buffer-size=1KB", "socket.tcp.extra-options.send-buffer-size=2KB",
                    "socket.tcp.extra-options.reuse-address=false", "socket.tcp.extra-options.socket-timeout=2s",
                    "socket.multicast.interface=eth1", "socket.multicast.ttl=0", "socket.multicast.loopback-mode=false")
            .run((context) -> {
                NioSocketFactory factory = context.getBean(NioSocketFactory.class);
                SocketSettings settings = factory.settings();
                assertThat(factory.eventLoops().loops()).hasSize(2);
                assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(settings.sendQueueLimit()).isEqualTo(DataSize.ofMegabytes(1).toBytes());
                assertThat(settings.udpSendQueueLimit()).isEqualTo(DataSize.ofKilobytes(512).toBytes());
                UDPExtraOptions udp = new UDPExtraOptions();
                udp.setBroadcast(true);
                udp.setReceiveBufferSize(65536);
                udp.setSendBufferSize(32 * 1024);
                udp.setReuseAddress(true);
                udp.setSocketTimeout(20000);
                assertThat(settings.udpDefaults()).isEqualTo(udp);
                TCPExtraOptions tcp = new TCPExtraOptions();
                tcp.setKeepAlive(true);
                tcp.setOOBInline(false);
                tcp.setTCPNoDelay(true);
                tcp.setSocketLinger(new SocketLinger(true, 10));
                tcp.setReceiveBufferSize(1024);
                tcp.setSendBufferSize(2048);
                tcp.setReuseAddress(false);
                tcp.setSocketTimeout(2000);
                assertThat(settings.tcpDefaults()).isEqualTo(tcp);
                assertThat(settings.multicastDefaults()).isEqualTo(new MulticastDefaults("eth1", 0, false));
            });
    }

    @Test
    void runWithLingerTimeOnlyShouldTurnLingeringOn() {
        this.contextRunner.withPropertyValues("socket.tcp.extra-options.socket-linger.linger=1500ms")
            .run((context) -> assertThat(context.getBean(NioSocketFactory.class).settings().tcpDefaults().getSocketLinger())
                .isEqualTo(new SocketLinger(true, 1500)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            socket.io-threads                                 | 0       | 0
            socket.io-threads                                 | -3      | -3
            socket.shutdown-timeout                           | 0s      | 0ms
            socket.health.loop-timeout                        | -1s     | -1000ms
            socket.tcp.connect-timeout                        | 0ms     | 0ms
            socket.tcp.send-queue-limit                       | 0B      | 0B
            socket.udp.send-queue-limit                       | -1KB    | -1024B
            socket.udp.extra-options.receive-buffer-size      | -1      | -1B
            socket.udp.extra-options.send-buffer-size         | -64KB   | -65536B
            socket.udp.extra-options.socket-timeout           | -5      | -5ms
            socket.tcp.extra-options.receive-buffer-size      | 3GB     | 3221225472B
            socket.tcp.extra-options.socket-linger.linger     | 70000   | 70000ms
            socket.tcp.extra-options.socket-linger.linger     | -1      | -1ms
            socket.events.queue-capacity                      | 0       | 0
            socket.events.queue-capacity                      | 1048577 | 1048577
            socket.events.queue-limit                         | 0B      | 0B
            socket.events.queue-limit                         | 65GB    | 69793218560B
            socket.multicast.ttl                              | 256     | 256
            socket.multicast.ttl                              | -1      | -1
            socket.multicast.interface                        | ' '     | ''
            """)
    void runWithInvalidValueShouldFailNamingKeyAndValue(String key, String value, String reported) {
        this.contextRunner.withPropertyValues(key + "=" + value).run((context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            InvalidConfigurationPropertyValueException invalid = findCause(failure);
            assertThat(invalid).as("cause of %s", failure).isNotNull();
            assertThat(invalid.getName()).isEqualTo(key);
            assertThat(invalid.getMessage()).contains(key).contains("'" + reported + "'");
        });
    }

    @Test
    void runWithAccessListsShouldMapThemToThePolicyOfEverySocket() {
        this.contextRunner.withPropertyValues("socket.access.allow=127.0.0.0/8, ::1/128",
                "socket.access.deny[0]=127.0.0.1:9").run((context) -> {
                    NioSocketFactory factory = context.getBean(NioSocketFactory.class);
                    AccessPolicy policy = factory.settings().accessPolicy();
                    assertThat(policy.allowed()).containsExactly("127.0.0.0/8", "::1/128");
                    assertThat(policy.denied()).containsExactly("127.0.0.1/32:9");
                    UDPSocket socket = factory.constructUDPSocketInstance();
                    socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                    assertThat(socket.send(new UDPSendOptions("x", new NetAddress("127.0.0.1", 9))))
                        .failsWithin(Duration.ofSeconds(5))
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause()
                        .isInstanceOfSatisfying(BusinessError.class,
                                (error) -> assertThat(error.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED));
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            socket.access.allow[0]  | 198.0.0.1/8      | socket.access.allow[0] | did you mean 198.0.0.0/8?
            socket.access.allow     | 127.0.0.1,nope  | socket.access.allow[1] | nope', which is not an IPv4 address
            socket.access.deny[0]   | ::1/129         | socket.access.deny[0]  | prefix length 129, out of range 0..128
            socket.access.deny[0]   | 198.0.0.0/8:0    | socket.access.deny[0]  | port 0, out of range 1..65535
            """)
    void runWithInvalidAccessEntryShouldFailNamingKeyAndValue(String key, String value, String reported,
            String reason) {
        this.contextRunner.withPropertyValues(key + "=" + value).run((context) -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException invalid = findCause(context.getStartupFailure());
            assertThat(invalid).as("cause of %s", context.getStartupFailure()).isNotNull();
            assertThat(invalid.getName()).isEqualTo(reported);
            assertThat(invalid.getMessage()).contains(reported).contains(reason);
        });
    }

    @Test
    void runWhenUserDefinesSocketFactoryShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserFactoryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(SocketFactory.class);
            assertThat(context).getBean(SocketFactory.class).isSameAs(UserFactoryConfiguration.FACTORY);
            assertThat(context).doesNotHaveBean(NioSocketFactory.class);
            assertThat(context).doesNotHaveBean(SocketFactoryLifecycle.class);
        });
    }

    @Test
    void runWhenDisabledShouldNotCreateFactory() {
        this.contextRunner.withPropertyValues("socket.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SocketFactory.class);
            assertThat(context).doesNotHaveBean(SocketEventPublisher.class);
            assertThat(context).doesNotHaveBean(SocketProperties.class);
        });
    }

    @Test
    void runWhenEventsDisabledShouldNotCreatePublisher() {
        this.contextRunner.withPropertyValues("socket.events.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(NioSocketFactory.class);
            assertThat(context).doesNotHaveBean(SocketEventPublisher.class);
            assertThat(context.getBean(NioSocketFactory.class).settings().observers()).isEmpty();
        });
    }

    @Test
    void runWithCustomizerShouldApplyItAfterProperties() {
        this.contextRunner.withBean(SocketSettingsCustomizer.class, () -> (builder) -> builder.threadNamePrefix("custom-io-"))
            .run((context) -> {
                NioSocketFactory factory = context.getBean(NioSocketFactory.class);
                assertThat(factory.settings().threadNamePrefix()).isEqualTo("custom-io-");
                assertThat(factory.eventLoops().loops()).extracting((loop) -> loop.name()).containsExactly("custom-io-1");
            });
    }

    @Test
    void runWithEventQueueCapacityShouldBoundTheQueue() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        this.contextRunner.withPropertyValues("socket.events.queue-capacity=1")
            .withBean(BlockingListener.class, () -> new BlockingListener(blocked, release))
            .run((context) -> {
                SocketFactory factory = context.getBean(SocketFactory.class);
                try {
                    bound(factory);
                    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
                    for (int i = 0; i < 3; i++) {
                        bound(factory);
                    }
                    // Lifecycle events fill the queue to twice its capacity: the one in delivery and one queued.
                    assertThat(context.getBean(SocketEventPublisher.class).droppedEvents(SocketEventType.LISTENING))
                        .isEqualTo(2);
                }
                finally {
                    release.countDown();
                }
            });
    }

    @Test
    void runWithEventListenerShouldReceiveEventsOfEverySocket() {
        LinkedBlockingQueue<SocketListeningEvent> events = new LinkedBlockingQueue<>();
        this.contextRunner
            .withBean(ListeningListener.class, () -> new ListeningListener(events))
            .run((context) -> {
                UDPSocket socket = context.getBean(SocketFactory.class).constructUDPSocketInstance();
                socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                SocketListeningEvent event = events.poll(5, TimeUnit.SECONDS);
                assertThat(event).isNotNull();
                assertThat(event.getSocket()).isSameAs(socket);
                assertThat(event.getLocalAddress()).isEqualTo(socket.getLocalAddress().get(5, TimeUnit.SECONDS));
            });
    }

    @Test
    void runWithBlockingEventListenerShouldKeepSocketsExchangingDatagrams() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        this.contextRunner.withBean(BlockingListener.class, () -> new BlockingListener(blocked, release))
            .run((context) -> {
                SocketFactory factory = context.getBean(SocketFactory.class);
                try {
                    UDPSocket first = bound(factory);
                    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
                    // The listener now holds the event thread; the single loop must still serve every socket.
                    UDPSocket second = bound(factory);
                    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
                    second.on(SocketEventType.MESSAGE, (message) -> received.add(message.text()));
                    NetAddress to = second.getLocalAddress().get();
                    for (int i = 0; i < 50; i++) {
                        first.send(new UDPSendOptions("datagram-" + i, to)).get(5, TimeUnit.SECONDS);
                        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("datagram-" + i);
                    }
                }
                finally {
                    release.countDown();
                }
            });
    }

    @Test
    void closingContextShouldCloseFactory() {
        NioSocketFactory[] factory = new NioSocketFactory[1];
        this.contextRunner.run((context) -> {
            factory[0] = context.getBean(NioSocketFactory.class);
            assertThat(factory[0].isClosed()).isFalse();
        });
        assertThat(factory[0].isClosed()).isTrue();
        assertThat(factory[0].eventLoops().loops()).noneMatch((loop) -> loop.isAlive());
    }

    private static InvalidConfigurationPropertyValueException findCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid;
            }
        }
        return null;
    }

    private static UDPSocket bound(SocketFactory factory) throws Exception {
        UDPSocket socket = factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        return socket;
    }

    static final class BlockingListener {

        private final CountDownLatch blocked;

        private final CountDownLatch release;

        BlockingListener(CountDownLatch blocked, CountDownLatch release) {
            this.blocked = blocked;
            this.release = release;
        }

        @EventListener
        void onListening(SocketListeningEvent event) throws InterruptedException {
            this.blocked.countDown();
            this.release.await(20, TimeUnit.SECONDS);
        }

    }

    static final class ListeningListener implements ApplicationListener<SocketListeningEvent> {

        private final LinkedBlockingQueue<SocketListeningEvent> events;

        ListeningListener(LinkedBlockingQueue<SocketListeningEvent> events) {
            this.events = events;
        }

        @Override
        public void onApplicationEvent(SocketListeningEvent event) {
            this.events.add(event);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserFactoryConfiguration {

        /** A user's own factory; a proxy, so that it implements every method the interface will ever have. */
        static final SocketFactory FACTORY = (SocketFactory) java.lang.reflect.Proxy.newProxyInstance(
                SocketFactory.class.getClassLoader(), new Class<?>[] { SocketFactory.class }, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });

        @Bean
        SocketFactory userSocketFactory() {
            return FACTORY;
        }

    }

}
