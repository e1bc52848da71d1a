package dev.netstack.socket.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.EventLoop;
import dev.netstack.socket.nio.NioServerSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ServerFaults;
import dev.netstack.socket.nio.ServerStats;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Which connections a server lets in: at most {@code maxConnections} open, none from a peer the access policy
 * denies (both reset at once, counted, never delivered), and accepting that survives running out of descriptors by
 * backing off instead of spinning.
 */
@Timeout(30)
class TcpServerAdmissionTests {

    @RegisterExtension
    final Factories factories = new Factories(TcpServerAdmissionTests.class);

    @Test
    void pastMaxConnectionsANewPeerIsResetCountedAndNeverDelivered() throws Exception {
        NioSocketFactory factory = this.factories.make(settings -> settings.maxConnections(2));
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        ServerStats stats = factory.stats().server(Protocol.TCP);
        try (Socket first = new Socket("127.0.0.1", address.port());
                Socket second = new Socket("127.0.0.1", address.port());
                Socket third = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection one = ServerPeers.next(accepted);
            TCPSocketConnection two = ServerPeers.next(accepted);
            assertReset(third);
            assertThat(stats.rejected(ServerStats.Reason.LIMIT)).isEqualTo(1);
            assertThat(stats.accepted()).isEqualTo(2);
            assertThat(stats.open()).isEqualTo(2);
            // A live view: it follows the connections as they close and arrive.
            Collection<Object> open = Collections.unmodifiableCollection(((NioServerSocket<?>) server).connections());
            assertThat(open).hasSize(2).containsExactlyInAnyOrder(one, two);
            roundTripThroughEveryLoop(factory);
            assertThat(accepted).as("a refused connection is never handed to 'connect'").isEmpty();

            // A closed connection makes room again.
            Await.result(one.close());
            assertThat(open).hasSize(1).containsExactly(two);
            try (Socket fourth = new Socket("127.0.0.1", address.port())) {
                TCPSocketConnection four = ServerPeers.next(accepted);
                assertThat(Await.result(four.getRemoteAddress()).port()).isEqualTo(fourth.getLocalPort());
                assertThat(open).hasSize(2).containsExactlyInAnyOrder(two, four);
            }
            assertThat(stats.rejected(ServerStats.Reason.LIMIT)).isEqualTo(1);
        }
    }

    /**
     * A deny entry for one peer port: the policy refuses that peer only, and the listening address stays allowed.
     * The peer is a plain JDK socket, which the policy does not govern (the engine's own client would be refused
     * before it connects).
     */
    @Test
    void aPeerTheAccessPolicyDeniesIsResetCountedAndNeverDelivered() throws Exception {
        int deniedPort = freePort();
        NioSocketFactory factory = this.factories
            .make(settings -> settings.accessPolicy(AccessPolicy.of(List.of(), List.of("127.0.0.1/32:" + deniedPort))));
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        ServerStats stats = factory.stats().server(Protocol.TCP);
        try (Socket denied = new Socket()) {
            denied.setReuseAddress(true);
            denied.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), deniedPort));
            denied.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), address.port()));
            assertReset(denied);
        }
        assertThat(stats.rejected(ServerStats.Reason.POLICY)).isEqualTo(1);
        assertThat(stats.accepted()).isZero();
        try (Socket allowed = new Socket("127.0.0.1", address.port())) {
            assertThat(Await.result(ServerPeers.next(accepted).getRemoteAddress()).port())
                .isEqualTo(allowed.getLocalPort());
        }
        assertThat(stats.rejected(ServerStats.Reason.POLICY)).isEqualTo(1);
        assertThat(stats.rejected(ServerStats.Reason.LIMIT)).isZero();
        // The same entry refuses listen on that address, with 201 and the reason.
        TCPSocketServer other = factory.constructTCPSocketServerInstance();
        BusinessError refused = Await.failure(other.listen(new NetAddress("127.0.0.1", deniedPort)));
        assertThat(refused.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
        assertThat(refused).hasMessageContaining("127.0.0.1:" + deniedPort).hasMessageContaining("deny entry");
    }

    /**
     * Accept fails three times as when no descriptor is left: each failure is an 'error' 2303124 naming the
     * address, the server backs off between them (50, then 100, then 200 ms), and then accepts the waiting peer.
     */
    @Test
    void acceptFailuresAreErrorsWithBackOffAndAcceptingResumes() throws Exception {
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        ConcurrentLinkedQueue<BusinessError> errors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> errorTimes = new ConcurrentLinkedQueue<>();
        Callback<BusinessError> removed = errors::add;
        server.on(SocketEventType.ERROR, removed);
        server.on(SocketEventType.ERROR, error -> {
            errorTimes.add(System.nanoTime());
            errors.add(error);
        });
        server.off(SocketEventType.ERROR, removed);
        NetAddress address = ServerPeers.listen(server);
        ServerFaults.failNextAccepts(server, 3);
        // The seam is set by a task on the server's loop: let it run before the peer arrives.
        roundTripThroughEveryLoop(factory);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = ServerPeers.next(accepted);
            long acceptedAt = System.nanoTime();
            assertThat(Await.result(connection.getRemoteAddress()).port()).isEqualTo(peer.getLocalPort());
            assertThat(errors).hasSize(3).allSatisfy(error -> {
                assertThat(error.getCode()).isEqualTo(BusinessError.SERVER_PROCESS_FILE_LIMIT);
                assertThat(error).hasMessageContaining("accept on 127.0.0.1:" + address.port());
            });
            List<Long> times = new ArrayList<>(errorTimes);
            times.add(acceptedAt);
            // The times are those of the callbacks, which a loaded machine may run some milliseconds after the failure
            // whose back-off already counts: each pause is at least half its back-off, and all three near their sum.
            long[] backOffMillis = { 50, 100, 200 };
            for (int i = 0; i < 3; i++) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(i + 1) - times.get(i)))
                    .as("pause after failure %d", i + 1).isGreaterThanOrEqualTo(backOffMillis[i] / 2);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(3) - times.get(0))).as("the three pauses")
                .isGreaterThanOrEqualTo(350 - 25);
        }
    }

    /**
     * Accept keeps failing for a second: a busy loop would report thousands of failures, the back-off a handful. When
     * the failures stop, the waiting peer and later ones are accepted: the server is not dead.
     */
    @Test
    void acceptFailingForASecondIsReportedAHandfulOfTimesNotInABusyLoop() throws Exception {
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        ConcurrentLinkedQueue<BusinessError> errors = new ConcurrentLinkedQueue<>();
        server.on(SocketEventType.ERROR, errors::add);
        NetAddress address = ServerPeers.listen(server);
        ServerFaults.failNextAccepts(server, Integer.MAX_VALUE);
        roundTripThroughEveryLoop(factory);
        try (Socket waiting = new Socket("127.0.0.1", address.port())) {
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> !errors.isEmpty());
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            // Failures at 0, 50, 150, 350 and 750 ms: five within the second (fewer on a slow machine), six at most
            // allowing for when the window started.
            assertThat(errors).hasSizeBetween(1, 6);
            assertThat(accepted).isEmpty();

            ServerFaults.failNextAccepts(server, 0);
            assertThat(Await.result(ServerPeers.next(accepted).getRemoteAddress()).port())
                .isEqualTo(waiting.getLocalPort());
            int reported = errors.size();
            try (Socket later = new Socket("127.0.0.1", address.port())) {
                assertThat(Await.result(ServerPeers.next(accepted).getRemoteAddress()).port())
                    .isEqualTo(later.getLocalPort());
            }
            assertThat(errors).hasSize(reported);
        }
    }

    /** The peer learns at once: its next read fails with a reset, not an end of stream or a wait. */
    private static void assertReset(Socket peer) throws IOException {
        peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Await.SECONDS));
        assertThatThrownBy(() -> peer.getInputStream().read()).isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
    }

    private static void roundTripThroughEveryLoop(NioSocketFactory factory) throws Exception {
        // A hand-over queued on a loop has run once a probe queued after it has.
        for (EventLoop loop : factory.eventLoops().loops()) {
            loop.probe().get(Await.SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

}
