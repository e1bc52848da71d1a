package dev.netstack.socket.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.event.SocketCloseEvent;
import dev.netstack.socket.event.SocketEvent;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What closing the context does to the sockets and threads of the auto-configured factory.
 */
@Timeout(60)
class SocketFactoryLifecycleTests {

    private static final String PREFIX = "lifecycle-test-io-";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketAutoConfiguration.class))
        .withPropertyValues("socket.io-threads=2")
        .withBean(SocketSettingsCustomizer.class, () -> (settings) -> settings.threadNamePrefix(PREFIX));

    @Test
    void closingTheContextDeliversAcceptedSendsAndPublishesEveryCloseEvent() throws Exception {
        BlockingQueue<SocketEvent> closeEvents = new LinkedBlockingQueue<>();
        try (DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            this.contextRunner
                .withBean("closeListener", ApplicationListener.class,
                        () -> (ApplicationListener<SocketCloseEvent>) closeEvents::add)
                .run((context) -> {
                    SocketFactory factory = context.getBean(SocketFactory.class);
                    UDPSocket one = bound(factory);
                    UDPSocket two = bound(factory);
                    // Not waited for: close must still let it out.
                    one.send(new UDPSendOptions("last words", new NetAddress("127.0.0.1", peerPort)));
                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
                    assertThat(one.getState().get().isClose()).isTrue();
                    assertThat(two.getState().get().isClose()).isTrue();
                    // Published before the context finished closing: the publisher stops after the factory.
                    assertThat(closeEvents).hasSize(2);
                    assertThat(closeEvents).extracting(SocketEvent::getSocket).containsExactlyInAnyOrder(one, two);
                });
            ByteBuffer buffer = ByteBuffer.allocate(100);
            peer.receive(buffer);
            assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)).isEqualTo("last words");
        }
    }

    @Test
    void loopThreadsAreNonDaemonAndEndWithTheContext() {
        NioSocketFactory[] factory = new NioSocketFactory[1];
        this.contextRunner.run((context) -> {
            factory[0] = context.getBean(NioSocketFactory.class);
            List<Thread> loops = threads(PREFIX);
            assertThat(loops).hasSize(2).noneMatch(Thread::isDaemon);
        });
        assertThat(factory[0].isClosed()).isTrue();
        assertThat(threads(PREFIX)).isEmpty();
    }

    @Test
    void repeatedStartAndStopLeaksNoThreadsAndNoFileDescriptors() throws Exception {
        cycle();
        long eventThreads = threads(SocketEventPublisher.THREAD_NAME).size();
        long descriptors = openFileDescriptors();
        for (int i = 0; i < 5; i++) {
            cycle();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(threads(PREFIX)).isEmpty();
            assertThat(threads(SocketEventPublisher.THREAD_NAME)).hasSize((int) eventThreads);
            if (descriptors >= 0) {
                // Each cycle opens selectors and sockets: a leak would grow this by several per cycle.
                assertThat(openFileDescriptors()).isLessThanOrEqualTo(descriptors);
            }
        });
    }

    private void cycle() {
        this.contextRunner.run((context) -> {
            SocketFactory factory = context.getBean(SocketFactory.class);
            UDPSocket receiver = bound(factory);
            UDPSocket sender = bound(factory);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            receiver.on(SocketEventType.MESSAGE, (message) -> received.add(message.text()));
            sender.send(new UDPSendOptions("cycle", receiver.getLocalAddress().get())).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("cycle");
            assertThat(threads(PREFIX)).hasSize(2);
        });
    }

    private static UDPSocket bound(SocketFactory factory) throws Exception {
        UDPSocket socket = factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        return socket;
    }

    private static List<Thread> threads(String namePrefix) {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.isAlive() && thread.getName().startsWith(namePrefix))
            .toList();
    }

    /** The number of open file descriptors of this process, or -1 where /proc does not tell. */
    private static long openFileDescriptors() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> entries = Files.list(fds)) {
            return entries.count();
        }
    }

}
