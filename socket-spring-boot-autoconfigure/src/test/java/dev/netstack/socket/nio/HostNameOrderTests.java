package dev.netstack.socket.nio;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.LoopbackServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations on host names keep call order per socket, as operations on literals do: while a look-up is pending,
 * the socket's later operations (literal or not, and close) wait behind it, and close() lets every send accepted
 * before it out, look-ups included. A stand-in resolver holds look-ups on demand, so that each case is reproduced
 * every time; one test uses the system resolver with a name from the hosts file.
 */
@Timeout(60)
class HostNameOrderTests extends FactoryTestSupport {

    private DatagramSocket receiver() throws Exception {
        DatagramSocket receiver = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        receiver.setReceiveBufferSize(4 * 1024 * 1024);
        receiver.setSoTimeout((int) Await.SECONDS * 1000);
        this.closeAfter.add(receiver);
        return receiver;
    }

    private UDPSocket boundSender() throws Exception {
        UDPSocket sender = this.factory.constructUDPSocketInstance();
        Await.result(sender.bind(new NetAddress("127.0.0.1", 0)));
        return sender;
    }

    private static String receive(DatagramSocket receiver) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[64], 64);
        receiver.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void whileALookUpWaitsLaterSendsOfTheSocketWaitBehindIt() throws Exception {
        standInFactory(2, 1);
        DatagramSocket receiver = receiver();
        UDPSocket sender = boundSender();
        NetAddress name = new NetAddress(StandInLookup.NAME, receiver.getLocalPort());
        NetAddress literal = new NetAddress("127.0.0.1", receiver.getLocalPort());
        List<String> results = new CopyOnWriteArrayList<>();

        List<CompletableFuture<Void>> sends = new ArrayList<>();
        sends.add(sender.send(new UDPSendOptions("1 to the name", name)));
        this.lookup.awaitHolding();
        sends.add(sender.send(new UDPSendOptions("2 to the name", name)));
        sends.add(sender.send(new UDPSendOptions("3 to the literal", literal)));
        sends.add(sender.send(new UDPSendOptions("4 to the name", name)));
        for (int i = 0; i < sends.size(); i++) {
            String label = Integer.toString(i + 1);
            // Waited for below instead of the send: a waiter of the send alone may wake before this action ran.
            sends.set(i, sends.get(i).whenComplete((ignored, error) -> results.add(label)));
        }
        this.lookup.release();

        assertThat(List.of(receive(receiver), receive(receiver), receive(receiver), receive(receiver)))
            .containsExactly("1 to the name", "2 to the name", "3 to the literal", "4 to the name");
        for (CompletableFuture<Void> send : sends) {
            Await.result(send);
        }
        assertThat(results).containsExactly("1", "2", "3", "4");
    }

    @Test
    void closeLetsEverySendToAHostNameOutFirst() throws Exception {
        standInFactory(2, 1);
        DatagramSocket receiver = receiver();
        UDPSocket sender = boundSender();
        NetAddress name = new NetAddress(StandInLookup.NAME, receiver.getLocalPort());
        List<String> outcomes = new CopyOnWriteArrayList<>();
        sender.on(SocketEventType.CLOSE, ignored -> outcomes.add("'close'"));
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // The recording stage is what the test waits for: a waiter of the send alone may wake before it ran.
            sends.add(sender.send(new UDPSendOptions("datagram " + i, name))
                .whenComplete((ignored, error) -> outcomes.add((error == null) ? "sent" : error.getMessage())));
        }
        this.lookup.awaitHolding();

        CompletableFuture<Void> closed = sender.close()
            .whenComplete((ignored, error) -> outcomes.add("close result"));
        this.lookup.release();

        for (int i = 0; i < 200; i++) {
            assertThat(receive(receiver)).isEqualTo("datagram " + i);
        }
        Await.result(closed);
        for (CompletableFuture<Void> send : sends) {
            Await.result(send);
        }
        List<String> expected = new ArrayList<>(Collections.nCopies(200, "sent"));
        expected.addAll(List.of("'close'", "close result"));
        assertThat(outcomes).containsExactlyElementsOf(expected);
    }

    @Test
    void aConnectToAHostNameComesBeforeALaterConnectToALiteral() throws Exception {
        standInFactory(2, 1);
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            CompletableFuture<Void> byName = socket
                .connect(new TCPConnectOptions(new NetAddress(StandInLookup.NAME, server.port())));
            this.lookup.awaitHolding();
            CompletableFuture<Void> byLiteral = socket.connect(new TCPConnectOptions(server.address()));
            this.lookup.release();

            Await.result(byName);
            // Still connecting, or already connected: a loopback connect may complete at once.
            assertThat(Await.failure(byLiteral).getCode()).isIn(BusinessError.ALREADY_IN_PROGRESS,
                    BusinessError.ALREADY_CONNECTED);
            assertThat(Await.result(socket.getRemoteAddress())).isEqualTo(server.address());
        }
    }

    @Test
    void twoThousandSendsToANameFromTheHostsFileKeepCallOrder() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        Set<String> loopback = Set.of("127.0.0.1", "0:0:0:0:0:0:0:1");
        List<String> resolved = Arrays.stream(InetAddress.getAllByName(name)).map(InetAddress::getHostAddress).toList();
        Assumptions.assumeTrue(!name.equalsIgnoreCase("localhost") && loopback.containsAll(resolved),
                "skipped: this host's name '" + name + "' resolves to " + resolved
                        + ", not to 127.0.0.1 or ::1 only, and tests never send anywhere else");
        factory(2, HostResolver.SYSTEM);
        DatagramSocket receiver = receiver();
        UDPSocket sender = boundSender();
        // Read while the sends go out, and give up soon after the last one: loopback drops what a full buffer cannot take.
        receiver.setSoTimeout(2000);
        NetAddress to = new NetAddress(name, receiver.getLocalPort());
        int count = 2000;
        List<Integer> completed = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Void>> sends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sequence = i;
            // The stage that records the result is what the test waits for: allOf of the sends alone may complete
            // before the last of these actions has run.
            CompletableFuture<Void> send = sender.send(new UDPSendOptions(Integer.toString(i), to))
                .whenComplete((ignored, error) -> {
                    completed.add(sequence);
                    if (error != null) {
                        failures.incrementAndGet();
                    }
                });
            sends.add(send);
        }
        List<Integer> arrived = new ArrayList<>();
        try {
            while (arrived.size() < count) {
                arrived.add(Integer.parseInt(receive(receiver)));
            }
        }
        catch (SocketTimeoutException ex) {
            // Some were dropped: the order of those that arrived still counts.
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();

        assertThat(failures).hasValue(0);
        assertThat(inversions(completed)).as("results out of call order").isZero();
        assertThat(completed).hasSize(count);
        assertThat(arrived).as("datagrams that arrived").isNotEmpty();
        assertThat(inversions(arrived)).as("datagrams out of call order").isZero();
    }

    private static int inversions(List<Integer> sequence) {
        int inversions = 0;
        for (int i = 1; i < sequence.size(); i++) {
            if (sequence.get(i) <= sequence.get(i - 1)) {
                inversions++;
            }
        }
        return inversions;
    }

}
