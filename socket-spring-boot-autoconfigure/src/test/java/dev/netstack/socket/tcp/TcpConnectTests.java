package dev.netstack.socket.tcp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * connect and bind on real loopback sockets: results in both forms, events, state, the real causes of failures,
 * the timeout, and what the socket is after a failure.
 */
@Timeout(60)
class TcpConnectTests {

    /** Every connect attempt's end, as the factory's observers see it: "ok" or the error code. */
    private final LinkedBlockingQueue<String> connectOutcomes = new LinkedBlockingQueue<>();

    private NioSocketFactory factory;

    enum Form {
        PROMISE, CALLBACK
    }

    private NioSocketFactory factory(SocketSettings.Builder settings) {
        this.factory = NioSocketFactory.create(settings.observer(new SocketObserver() {
            @Override
            public void connectCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
                assertThat(durationNanos).isPositive();
                TcpConnectTests.this.connectOutcomes.add((failure != null) ? String.valueOf(failure.getCode()) : "ok");
            }
        }).build());
        return this.factory;
    }

    private NioSocketFactory factory() {
        return factory(SocketSettings.builder().ioThreads(1));
    }

    @AfterEach
    void closeFactory() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    static CompletableFuture<Void> connect(TCPSocket socket, Form form, TCPConnectOptions options) {
        return (form == Form.PROMISE) ? socket.connect(options) : Await.callback(cb -> socket.connect(options, cb));
    }

    static CompletableFuture<Void> bind(TCPSocket socket, Form form, NetAddress address) {
        return (form == Form.PROMISE) ? socket.bind(address) : Await.callback(cb -> socket.bind(address, cb));
    }

    private String nextOutcome() throws InterruptedException {
        String outcome = this.connectOutcomes.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(outcome).as("the observer saw the connect attempt end").isNotNull();
        return outcome;
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void connectFiresConnectBeforeTheResultAndReportsBothAddresses(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            EventLog log = EventLog.of(socket);
            assertThat(Await.result(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));

            TCPConnectOptions options = new TCPConnectOptions(server.address(), 2000);
            CompletableFuture<Void> connected;
            if (form == Form.CALLBACK) {
                connected = Await.callback(cb -> socket.connect(options, (error, value) -> {
                    log.add("result");
                    cb.onResult(error, value);
                }));
            }
            else {
                // Runs where the result is delivered, unless the future completed before this line.
                connected = socket.connect(options).thenRun(() -> log.add("result"));
            }
            Await.result(connected);
            Socket peer = server.accept();

            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("result");
            assertThat(Await.result(state(socket, form))).isEqualTo(new SocketStateBase(true, false, true));
            assertThat(Await.result(remote(socket, form))).isEqualTo(new NetAddress("127.0.0.1", server.port(), 1));
            NetAddress local = Await.result(local(socket, form));
            assertThat(local.address()).isEqualTo("127.0.0.1");
            assertThat(local.port()).isEqualTo(peer.getPort());
            assertThat(((NioSocket) socket).remoteAddress()).isEqualTo(new NetAddress("127.0.0.1", server.port(), 1));
            assertThat(nextOutcome()).isEqualTo("ok");

            Await.result(socket.close());
            assertThat(Await.result(state(socket, form))).isEqualTo(new SocketStateBase(false, true, false));
        }
    }

    static CompletableFuture<SocketStateBase> state(TCPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getState() : Await.callback(socket::getState);
    }

    static CompletableFuture<NetAddress> remote(TCPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getRemoteAddress() : Await.callback(socket::getRemoteAddress);
    }

    static CompletableFuture<NetAddress> local(TCPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getLocalAddress() : Await.callback(socket::getLocalAddress);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindBeforeConnectMakesTheConnectionLeaveFromTheBoundPort(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(bind(socket, form, new NetAddress("127.0.0.1", 0)));
            NetAddress bound = Await.result(local(socket, form));
            assertThat(bound.port()).isPositive();
            assertThat(Await.result(state(socket, form))).isEqualTo(new SocketStateBase(true, false, false));

            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            assertThat(server.accept().getPort()).isEqualTo(bound.port());
            assertThat(Await.result(socket.getLocalAddress())).isEqualTo(bound);
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void bindToAPortInUseFailsWithAddressInUse(Form form) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            BusinessError error = Await.failure(bind(socket, form, new NetAddress("127.0.0.1", taken.getLocalPort())));
            assertThat(error.getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
            assertThat(error.getMessage()).contains("127.0.0.1:" + taken.getLocalPort());
            assertThat(Await.result(socket.getState()).isBound()).isFalse();
        }
    }

    @Test
    void bindTwiceFailsAndKeepsTheFirstAddress() throws Exception {
        TCPSocket socket = factory().constructTCPSocketInstance();
        Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
        NetAddress first = Await.result(socket.getLocalAddress());
        BusinessError error = Await.failure(socket.bind(new NetAddress("127.0.0.1", 0)));
        assertThat(error.getCode()).isEqualTo(BusinessError.INVALID_ARGUMENT);
        assertThat(error.getMessage()).contains("127.0.0.1:" + first.port());
        assertThat(Await.result(socket.getLocalAddress())).isEqualTo(first);
    }

    @Test
    void connectsOverIpv6() throws Exception {
        assumeIpv6Loopback();
        try (LoopbackServer server = new LoopbackServer("::1", 0)) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            LinkedBlockingQueue<dev.netstack.socket.SocketMessageInfo> messages = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.MESSAGE, messages::add);
            Await.result(socket.connect(new TCPConnectOptions(new NetAddress("::1", server.port(), 2))));
            Socket peer = server.accept();
            peer.getOutputStream().write("v6".getBytes());

            assertThat(Await.result(socket.getRemoteAddress())).isEqualTo(new NetAddress("::1", server.port(), 2));
            assertThat(Await.result(socket.getLocalAddress()).family()).isEqualTo(2);
            var message = messages.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(message.text()).isEqualTo("v6");
            assertThat(message.remoteInfo().family()).isEqualTo("IPv6");
            assertThat(message.remoteInfo().address()).isEqualTo("::1");
        }
    }

    @Test
    void connectsToLocalhostByName() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(socket.connect(new TCPConnectOptions(new NetAddress("localhost", server.port()))));
            assertThat(Await.result(socket.getRemoteAddress()).address()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anIpv6DestinationOnAnIpv4BoundSocketIsAParameterError() throws Exception {
        TCPSocket socket = factory().constructTCPSocketInstance();
        Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
        BusinessError error = Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("::1", 9, 2))));
        assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(error.getMessage()).contains("[::1]:9").contains("IPv4");
    }

    @Test
    void aSocketBoundToTheIpv6WildcardConnectsToAnIpv4PeerAsUdpDoes() throws Exception {
        assumeIpv6Loopback();
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(socket.bind(new NetAddress("::", 0, NetAddress.IPV6)));

            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            Await.result(socket.send(new TCPSendOptions("dual-stack")));

            assertThat(new String(LoopbackServer.readExactly(peer, 10), StandardCharsets.UTF_8)).isEqualTo("dual-stack");
            assertThat(peer.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(Await.result(socket.getRemoteAddress())).isEqualTo(server.address());
        }
    }

    @Test
    void anIpv4DestinationOnASocketBoundToASpecificIpv6AddressIsAParameterError() throws Exception {
        assumeIpv6Loopback();
        TCPSocket socket = factory().constructTCPSocketInstance();
        Await.result(socket.bind(new NetAddress("::1", 0, NetAddress.IPV6)));
        BusinessError error = Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 9))));
        assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(error.getMessage()).contains("127.0.0.1:9").contains("[::1]").contains("'::'");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aRefusedConnectFailsWithConnectionRefused(Form form) throws Exception {
        int port = freePort();
        TCPSocket socket = factory().constructTCPSocketInstance();
        EventLog log = EventLog.of(socket);
        BusinessError error = Await.failure(connect(socket, form, new TCPConnectOptions(new NetAddress("127.0.0.1", port))));
        assertThat(error.getCode()).isEqualTo(BusinessError.CONNECTION_REFUSED);
        assertThat(error.getMessage()).contains("127.0.0.1:" + port);
        assertThat(nextOutcome()).isEqualTo(String.valueOf(BusinessError.CONNECTION_REFUSED));
        assertThat(Await.result(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
        assertThat(log.all()).as("no 'connect', 'error' or 'close' for a failed connect").isEmpty();
    }

    @Test
    void aConnectToAPeerThatDropsSynsTimesOutWithoutBlockingTheLoop() throws Exception {
        // One loop thread: if the connect blocked it, the echo below could not run.
        factory();
        try (FullBacklog silent = new FullBacklog(); LoopbackServer echo = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            long started = System.nanoTime();
            CompletableFuture<Void> connect = socket.connect(new TCPConnectOptions(silent.address(), 300));

            TCPSocket other = this.factory.constructTCPSocketInstance();
            LinkedBlockingQueue<String> echoed = new LinkedBlockingQueue<>();
            other.on(SocketEventType.MESSAGE, message -> echoed.add(message.text()));
            Await.result(other.connect(new TCPConnectOptions(echo.address())));
            Socket peer = echo.accept();
            Await.result(other.send(new TCPSendOptions("ping")));
            peer.getOutputStream().write(LoopbackServer.readExactly(peer, 4));
            assertThat(echoed.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("ping");
            assertThat(connect).as("the connect is still waiting while the loop served another socket").isNotDone();

            BusinessError error = Await.failure(connect);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(error.getCode()).isEqualTo(BusinessError.TIMED_OUT);
            assertThat(error.getMessage()).contains("300 ms").contains(silent.address().port() + "");
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
            assertThat(this.connectOutcomes).contains(String.valueOf(BusinessError.TIMED_OUT));
            assertThat(Await.result(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
        }
    }

    @Test
    void aZeroTimeoutMeansTheFactoryConnectTimeout() throws Exception {
        factory(SocketSettings.builder().ioThreads(1).connectTimeout(Duration.ofMillis(400)));
        try (FullBacklog silent = new FullBacklog()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            BusinessError error = Await.failure(socket.connect(new TCPConnectOptions(silent.address(), 0)));
            assertThat(error.getCode()).isEqualTo(BusinessError.TIMED_OUT);
            assertThat(error.getMessage()).contains("400 ms");
        }
    }

    @Test
    void aConnectWhileAnotherIsInProgressFailsWithAlreadyInProgress() throws Exception {
        factory();
        try (FullBacklog silent = new FullBacklog()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            CompletableFuture<Void> first = socket.connect(new TCPConnectOptions(silent.address(), 5000));
            BusinessError second = Await.failure(socket.connect(new TCPConnectOptions(silent.address(), 5000)));
            assertThat(second.getCode()).isEqualTo(BusinessError.ALREADY_IN_PROGRESS);
            assertThat(second.getMessage()).contains("127.0.0.1:" + silent.address().port());
            BusinessError send = Await.failure(socket.send(new TCPSendOptions("early")));
            assertThat(send.getCode()).isEqualTo(BusinessError.NOT_CONNECTED);
            assertThat(send.getMessage()).contains("connecting");

            Await.result(socket.close());
            BusinessError closed = Await.failure(first);
            assertThat(closed.getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(closed.getMessage()).contains("closed while connecting");
            assertThat(nextOutcome()).isEqualTo(String.valueOf(BusinessError.NOT_BOUND));
        }
    }

    @Test
    void aConnectOnAConnectedSocketFailsWithAlreadyConnected() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            BusinessError error = Await.failure(socket.connect(new TCPConnectOptions(server.address())));
            assertThat(error.getCode()).isEqualTo(BusinessError.ALREADY_CONNECTED);
            assertThat(error.getMessage()).contains("127.0.0.1:" + server.port());
            assertThat(Await.result(socket.getState()).isConnected()).isTrue();
        }
    }

    @Test
    void aFailedConnectReleasesTheChannelAndTheSocketCanConnectAgain() throws Exception {
        int refused = freePort();
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", refused))));

            // The bind does not survive the failed connect: the channel it was made on is gone.
            assertThat(Await.result(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
            assertThat(Await.failure(socket.getLocalAddress()).getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(Await.result(((NioSocket) socket).effectiveOptions())).isEmpty();

            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            Await.result(socket.send(new TCPSendOptions("again")));
            assertThat(new String(LoopbackServer.readExactly(peer, 5))).isEqualTo("again");
        }
    }

    @Test
    void theFailureCallbackOfAConnectCanBindTheSamePortAgain() throws Exception {
        factory();
        // A timed-out connect: its channel is still in SYN-SENT, holding the port, until the loop releases it.
        try (FullBacklog silent = new FullBacklog(); LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            NetAddress bound = Await.result(socket.getLocalAddress());
            CompletableFuture<Void> rebound = new CompletableFuture<>();
            socket.connect(new TCPConnectOptions(silent.address(), 200), (error, nothing) -> {
                assertThat(error.getCode()).isEqualTo(BusinessError.TIMED_OUT);
                socket.bind(bound, (bindError, none) -> {
                    if (bindError != null) {
                        rebound.completeExceptionally(bindError);
                    }
                    else {
                        rebound.complete(null);
                    }
                });
            });
            Await.result(rebound);
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            assertThat(server.accept().getPort()).isEqualTo(bound.port());
        }
    }

    @Test
    void failedConnectsLeakNoFileDescriptors() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "skipped: no /proc/self/fd to count open descriptors");
        int refused = freePort();
        TCPSocket socket = factory().constructTCPSocketInstance();
        // Warm up once, so that lazily opened descriptors (selector, JDK internals) are not counted as leaks.
        Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", refused))));
        long before = count(fds);
        for (int i = 0; i < 50; i++) {
            Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", refused))));
        }
        // A channel closes for good when its key leaves the selector, on the loop's next turn.
        await().atMost(Duration.ofSeconds(5)).until(() -> count(fds) <= before + 2);
    }

    @Test
    void connectAfterCloseFailsAsClosed() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = factory().constructTCPSocketInstance();
            Await.result(socket.close());
            BusinessError error = Await.failure(socket.connect(new TCPConnectOptions(server.address())));
            assertThat(error.getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(Await.result(socket.getState()).isClose()).isTrue();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    static void assumeIpv6Loopback() {
        boolean available;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            available = probe.getInetAddress() instanceof Inet6Address;
        }
        catch (IOException ex) {
            available = false;
        }
        Assumptions.assumeTrue(available, "skipped: this host has no IPv6 loopback (::1)");
    }

}
