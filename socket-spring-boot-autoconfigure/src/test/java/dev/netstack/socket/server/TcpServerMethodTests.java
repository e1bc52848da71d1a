package dev.netstack.socket.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.EventLoop;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.server.ServerPeers.Form;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every method of {@link TCPSocketServer} and {@link TCPSocketConnection} in both forms, and every event they emit,
 * against plain JDK sockets as peers: what a user observes in bytes, order, states and events.
 */
@Timeout(30)
class TcpServerMethodTests {

    private static final NetAddress LOOPBACK = new NetAddress("127.0.0.1", 0);

    @RegisterExtension
    final Factories factories = new Factories(TcpServerMethodTests.class);

    private final NioSocketFactory factory = this.factories.make();

    // ---- the server's methods

    @ParameterizedTest
    @EnumSource(Form.class)
    void listenGetLocalAddressGetStateAndCloseInBothForms(Form form) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        assertThat(Await.result(form.<SocketStateBase>call(server::getState, server::getState)))
            .isEqualTo(new SocketStateBase(false, false, false));
        Await.result(form.<Void>call(() -> server.listen(LOOPBACK), callback -> server.listen(LOOPBACK, callback)));
        NetAddress local = Await.result(form.call(server::getLocalAddress, server::getLocalAddress));
        assertThat(local.address()).isEqualTo("127.0.0.1");
        assertThat(local.family()).isEqualTo(NetAddress.IPV4);
        assertThat(local.port()).isPositive();
        assertThat(Await.result(form.<SocketStateBase>call(server::getState, server::getState)))
            .isEqualTo(new SocketStateBase(true, false, false));

        Await.result(form.call(server::close, server::close));
        assertThat(Await.result(form.<SocketStateBase>call(server::getState, server::getState)))
            .isEqualTo(new SocketStateBase(false, true, false));
        // Idempotent, and the port is free: nobody answers there any more.
        Await.result(form.call(server::close, server::close));
        assertThatThrownBy(() -> new Socket("127.0.0.1", local.port()).close()).isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void closeOfAServerThatNeverListenedSucceeds(Form form) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        Await.result(form.call(server::close, server::close));
        assertThat(Await.result(server.getState()).isClose()).isTrue();
    }

    @Test
    void listensOnTheIpv6LoopbackAndReportsItsPeersAsIpv6() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackUsable(), "skipped: this host has no usable ::1");
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        Await.result(server.listen(new NetAddress("::1", 0, NetAddress.IPV6)));
        NetAddress local = Await.result(server.getLocalAddress());
        assertThat(local).isEqualTo(new NetAddress("::1", local.port(), NetAddress.IPV6));
        try (Socket peer = new Socket("::1", local.port())) {
            TCPSocketConnection connection = ServerPeers.next(accepted);
            assertThat(Await.result(connection.getRemoteAddress()))
                .isEqualTo(new NetAddress("::1", peer.getLocalPort(), NetAddress.IPV6));
        }
    }

    private static boolean ipv6LoopbackUsable() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        }
        catch (Exception ex) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void setExtraOptionsReachesTheListeningChannelBeforeAndAfterListenInBothForms(Form form) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        TCPExtraOptions before = new TCPExtraOptions();
        before.setReuseAddress(true);
        before.setReceiveBufferSize(64 * 1024);
        Await.result(form.<Void>call(() -> server.setExtraOptions(before),
                callback -> server.setExtraOptions(before, callback)));
        ServerPeers.listen(server);
        Map<String, Object> listening = Await.result(((NioSocket) server).effectiveOptions());
        assertThat(listening).containsEntry("reuseAddress", true);
        // Linux doubles the size it is given for its own bookkeeping: at least what was asked.
        assertThat((Integer) listening.get("receiveBufferSize")).isGreaterThanOrEqualTo(64 * 1024);

        TCPExtraOptions after = new TCPExtraOptions();
        after.setReuseAddress(false);
        Await.result(form.<Void>call(() -> server.setExtraOptions(after),
                callback -> server.setExtraOptions(after, callback)));
        assertThat(Await.result(((NioSocket) server).effectiveOptions())).containsEntry("reuseAddress", false);
    }

    // ---- the connection's methods

    @ParameterizedTest
    @EnumSource(Form.class)
    void sendsOfEveryPayloadKindCompleteAndArriveInCallOrderInBothForms(Form form) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = ServerPeers.next(accepted);
            List<TCPSendOptions> sends = new ArrayList<>();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                String line = "line " + i + "\n";
                expected.append(line);
                byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
                sends.add(switch (i % 4) {
                    case 0 -> new TCPSendOptions(line);
                    case 1 -> new TCPSendOptions(bytes);
                    case 2 -> new TCPSendOptions(ByteBuffer.wrap(bytes));
                    default -> new TCPSendOptions(line, "ISO-8859-1");
                });
            }
            List<CompletableFuture<Void>> results = new ArrayList<>();
            for (TCPSendOptions send : sends) {
                results.add(form.<Void>call(() -> connection.send(send), callback -> connection.send(send, callback)));
            }
            for (CompletableFuture<Void> result : results) {
                Await.result(result);
            }
            byte[] arrived = ServerPeers.readExactly(peer.getInputStream(), expected.length());
            assertThat(new String(arrived, StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
            // An encoding other than the default reaches the wire as that encoding.
            TCPSendOptions utf16 = new TCPSendOptions("\u00e9", "UTF-16BE");
            Await.result(form.<Void>call(() -> connection.send(utf16), callback -> connection.send(utf16, callback)));
            assertThat(ServerPeers.readExactly(peer.getInputStream(), 2)).containsExactly(0x00, 0xe9);
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void closeFlushesTheAcceptedSendsEndsWithFinAndFiresCloseOnceInBothForms(Form form) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = ServerPeers.next(accepted);
            EventLog log = ServerPeers.log(connection);
            byte[] payload = new byte[1024 * 1024];
            new SplittableRandom(1).nextBytes(payload);
            CompletableFuture<Void> sent = connection.send(new TCPSendOptions(payload));
            CompletableFuture<Void> closed = form.call(connection::close, connection::close);
            // The peer reads the whole payload and then the end of the stream: a FIN after the data, no reset.
            assertThat(peer.getInputStream().readAllBytes()).isEqualTo(payload);
            Await.result(sent);
            Await.result(closed);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(Await.result(form.<SocketStateBase>call(connection::getState, connection::getState)))
                .isEqualTo(new SocketStateBase(false, true, false));
            Await.result(form.call(connection::close, connection::close));
            assertThat(log.all()).containsExactly("close");
            await().atMost(Duration.ofSeconds(Await.SECONDS))
                .until(() -> !Await.result(server.getState()).isConnected());
        }
    }

    // ---- events

    @Test
    void thePeersFinClosesTheConnectionWithoutAnError() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        Socket peer = new Socket("127.0.0.1", address.port());
        TCPSocketConnection connection = ServerPeers.next(accepted);
        LinkedBlockingQueue<SocketRemoteInfo> infos = new LinkedBlockingQueue<>();
        connection.on(SocketEventType.MESSAGE, message -> infos.add(message.remoteInfo()));
        EventLog log = ServerPeers.log(connection);
        peer.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        peer.close();
        assertThat(log.nextNonMessage()).isEqualTo("close");
        assertThat(log.all()).containsExactly("message:3", "close");
        assertThat(infos.poll()).isEqualTo(new SocketRemoteInfo("127.0.0.1", "IPv4", peer.getLocalPort(), 3));
        assertThat(this.factory.stats().server(Protocol.TCP).open()).isZero();
        assertThat(Await.result(server.getState())).isEqualTo(new SocketStateBase(true, false, false));
    }

    @Test
    void aResetByThePeerIsAnErrorThenAClose() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        Socket peer = new Socket("127.0.0.1", address.port());
        TCPSocketConnection connection = ServerPeers.next(accepted);
        EventLog log = ServerPeers.log(connection);
        peer.setSoLinger(true, 0);
        peer.close();
        assertThat(log.nextNonMessage()).isEqualTo("error:" + BusinessError.CONNECTION_RESET);
        assertThat(log.nextNonMessage()).isEqualTo("close");
        assertThat(Await.failure(connection.send(new TCPSendOptions("late"))).getCode())
            .isEqualTo(BusinessError.NOT_BOUND);
        assertThat(this.factory.stats().server(Protocol.TCP).open()).isZero();
    }

    /**
     * With an observer that receives messages (as Spring's events do), a connection reads from birth; even then the
     * server's 'connect' comes before any 'message' of that connection, also when the peer wrote before the accept.
     */
    @Test
    void theConnectEventComesBeforeAnyMessageOfItsConnection() throws Exception {
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        NioSocketFactory observed = this.factories.make(settings -> settings.observer(new SocketObserver() {

            @Override
            public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
                if (type == TCPSocketServer.CONNECT) {
                    order.add("connect#" + ((NioSocket) payload).id());
                }
                else if (type == SocketEventType.MESSAGE) {
                    order.add("message#" + socket.id() + ":" + ((SocketMessageInfo) payload).size());
                }
            }

            @Override
            public boolean observesMessages() {
                return true;
            }

        }));
        TCPSocketServer server = observed.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, connection -> order.add("callback#" + ((NioSocket) connection).id()));
        NetAddress address = ServerPeers.listen(server);
        int clients = 20;
        for (int i = 0; i < clients; i++) {
            try (Socket peer = new Socket("127.0.0.1", address.port())) {
                peer.getOutputStream().write(new byte[100]);
            }
        }
        await().atMost(Duration.ofSeconds(Await.SECONDS))
            .until(() -> observed.stats().of(Protocol.TCP).bytesReceived() == clients * 100L);
        Map<String, List<String>> byConnection = new HashMap<>();
        for (String event : order) {
            String id = event.substring(event.indexOf('#') + 1).split(":")[0];
            byConnection.computeIfAbsent(id, key -> new ArrayList<>()).add(event.substring(0, event.indexOf('#')));
        }
        assertThat(byConnection).hasSize(clients);
        byConnection.values().forEach(events -> assertThat(events).startsWith("callback", "connect").contains("message"));
    }

    @Test
    void offRemovesOneConnectCallbackOrAllOfThem() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> first = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<TCPSocketConnection> second = new LinkedBlockingQueue<>();
        Callback<TCPSocketConnection> toFirst = first::add;
        server.on(TCPSocketServer.CONNECT, toFirst);
        server.on(TCPSocketServer.CONNECT, second::add);
        NetAddress address = ServerPeers.listen(server);
        try (Socket a = new Socket("127.0.0.1", address.port())) {
            assertThat(ServerPeers.next(first)).isSameAs(ServerPeers.next(second));
            server.off(TCPSocketServer.CONNECT, toFirst);
            try (Socket b = new Socket("127.0.0.1", address.port())) {
                assertThat(Await.result(ServerPeers.next(second).getRemoteAddress()).port()).isEqualTo(b.getLocalPort());
                server.off(TCPSocketServer.CONNECT);
                try (Socket c = new Socket("127.0.0.1", address.port())) {
                    await().atMost(Duration.ofSeconds(Await.SECONDS))
                        .until(() -> this.factory.stats().server(Protocol.TCP).accepted() == 3);
                    // A round trip through every loop: a hand-over queued there has run by then.
                    for (EventLoop loop : this.factory.eventLoops().loops()) {
                        loop.probe().get(Await.SECONDS, TimeUnit.SECONDS);
                    }
                    assertThat(first).isEmpty();
                    assertThat(second).isEmpty();
                }
            }
        }
    }

    /**
     * Taking the last 'message' callback away stops reading: the bytes wait in the kernel, the loop does not spin on
     * a readable channel that nobody reads, and a new callback gets every byte.
     */
    @Test
    void offMessageStopsReadingWithoutSpinningAndOnResumesWithNothingLost() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            OutputStream out = peer.getOutputStream();
            TCPSocketConnection connection = ServerPeers.next(accepted);
            StringBuffer received = new StringBuffer();
            Callback<SocketMessageInfo> reader = message -> received.append(message.text());
            connection.on(SocketEventType.MESSAGE, reader);
            out.write("one ".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> received.toString().equals("one "));

            connection.off(SocketEventType.MESSAGE, reader);
            out.write("two".getBytes(StandardCharsets.US_ASCII));
            long cpuBefore = loopCpuNanos();
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            long cpu = loopCpuNanos() - cpuBefore;
            assertThat(received).hasToString("one ");
            // Idle loops use next to nothing; a spinning one takes its share of a core even on a loaded machine.
            assertThat(TimeUnit.NANOSECONDS.toMillis(cpu)).as("CPU ms of the event loops over one idle second")
                .isLessThan(50);

            connection.on(SocketEventType.MESSAGE, reader);
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> received.toString().equals("one two"));
        }
    }

    private long loopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.getName().startsWith(this.factories.threadNamePrefix()))
            .mapToLong(thread -> Math.max(0, threads.getThreadCpuTime(thread.getId())))
            .sum();
    }

    @Test
    void aConnectionRefusesTheEventsItNeverEmits() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = ServerPeers.next(accepted);
            for (SocketEventType<?> type : List.of(SocketEventType.CONNECT, SocketEventType.LISTENING)) {
                assertThatThrownBy(() -> connection.on(type, nothing -> {
                })).isInstanceOfSatisfying(BusinessError.class,
                        error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
                    .hasMessageContaining("'" + type.name() + "'");
                assertThatThrownBy(() -> connection.off(type)).isInstanceOf(BusinessError.class);
            }
            Callback<Void> onClose = nothing -> {
            };
            connection.on(SocketEventType.CLOSE, onClose);
            connection.off(SocketEventType.CLOSE, onClose);
            connection.off(SocketEventType.ERROR);
        }
    }

    @Test
    void aServerReadsNothingForAConnectionNobodyTookAndClosesItWithTheFactory() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        NetAddress address = ServerPeers.listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            peer.getOutputStream().write(new byte[10]);
            await().atMost(Duration.ofSeconds(Await.SECONDS))
                .until(() -> this.factory.stats().server(Protocol.TCP).open() == 1);
            assertThat(this.factory.stats().of(Protocol.TCP).bytesReceived()).isZero();
            this.factory.close();
            InputStream in = peer.getInputStream();
            assertThat(in.read()).as("end of stream after the factory closed").isEqualTo(-1);
        }
    }

}
