package dev.netstack.socket.access;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The access policy on real loopback sockets: a denied destination fails with 201 and nothing leaves the socket, in
 * both forms; a datagram from a denied source is dropped and counted while one from an allowed source arrives.
 */
@Timeout(30)
class AccessPolicySocketTests {

    private static final long WAIT_SECONDS = 10;

    private NioSocketFactory factory;

    @AfterEach
    void close() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    private NioSocketFactory factory(List<String> allow, List<String> deny) {
        this.factory = NioSocketFactory.create(SocketSettings.builder()
            .ioThreads(1)
            .threadNamePrefix("socket-io-AccessPolicySocketTests-")
            .accessPolicy(AccessPolicy.of(allow, deny))
            .build());
        return this.factory;
    }

    @Test
    void aUdpSendToADeniedPortFailsWith201InBothFormsAndThePeerReceivesNothing() throws Exception {
        try (DatagramChannel denied = loopbackPeer(); DatagramChannel allowed = loopbackPeer();
                DatagramChannel marker = loopbackPeer()) {
            int deniedPort = port(denied);
            factory(List.of(), List.of("127.0.0.1:" + deniedPort));
            UDPSocket socket = this.factory.constructUDPSocketInstance();
            socket.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);

            NetAddress target = new NetAddress("127.0.0.1", deniedPort);
            BusinessError promise = failure(socket.send(new UDPSendOptions("secret", target)));
            BusinessError callback = failure(AccessPolicySocketTests.<Void>viaCallback(cb -> socket.send(new UDPSendOptions("secret", target), cb)));
            for (BusinessError error : List.of(promise, callback)) {
                assertThat(error.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
                assertThat(error.getMessage()).contains("127.0.0.1:" + deniedPort)
                    .contains("deny entry 127.0.0.1/32:" + deniedPort);
            }
            // The same socket still reaches an allowed port.
            socket.send(new UDPSendOptions("fine", new NetAddress("127.0.0.1", port(allowed))))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(receive(allowed)).isEqualTo("fine");

            // Had the denied datagrams left, they would be queued before this one, sent after their failures.
            marker.send(ByteBuffer.wrap("marker".getBytes(StandardCharsets.UTF_8)), denied.getLocalAddress());
            assertThat(receive(denied)).isEqualTo("marker");
            ProtocolStats stats = this.factory.stats().of(Protocol.UDP);
            assertThat(stats.errors(BusinessError.PERMISSION_DENIED)).isEqualTo(2);
            assertThat(stats.messagesSent()).isEqualTo(1);
            assertThat(((NioSocket) socket).bytesSent()).isEqualTo(4);
        }
    }

    @Test
    void theAccessPolicyDecidesBeforeTheSocketIsFoundUnbound() throws Exception {
        factory(List.of(), List.of("127.0.0.1:9"));
        UDPSocket socket = this.factory.constructUDPSocketInstance();

        // Permission first, as the reference checks it: a denied destination is 201 even before bind.
        BusinessError denied = failure(socket.send(new UDPSendOptions("x", new NetAddress("127.0.0.1", 9))));
        BusinessError unbound = failure(socket.send(new UDPSendOptions("x", new NetAddress("127.0.0.1", 10))));

        assertThat(denied.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
        assertThat(denied.getMessage()).contains("127.0.0.1:9");
        assertThat(unbound.getCode()).isEqualTo(BusinessError.NOT_BOUND);
    }

    @Test
    void aTcpConnectToADeniedAddressFailsWith201WithoutOpeningAChannel() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            factory(List.of(), List.of("127.0.0.0/8:" + server.getLocalPort()));
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.CONNECT, nothing -> events.add("connect"));
            socket.on(SocketEventType.ERROR, error -> events.add("error"));
            NetAddress target = new NetAddress("127.0.0.1", server.getLocalPort());

            BusinessError promise = failure(socket.connect(new TCPConnectOptions(target)));
            BusinessError callback = failure(AccessPolicySocketTests.<Void>viaCallback(cb -> socket.connect(new TCPConnectOptions(target), cb)));
            for (BusinessError error : List.of(promise, callback)) {
                assertThat(error.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
                assertThat(error.getMessage()).contains("127.0.0.1:" + server.getLocalPort())
                    .contains("deny entry 127.0.0.0/8:" + server.getLocalPort());
            }
            // No channel: no options to read back, nothing bound, nothing connected.
            assertThat(((NioSocket) socket).effectiveOptions().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
            assertThat(socket.getState().get()).isEqualTo(new SocketStateBase(false, false, false));
            assertThat(events).isEmpty();

            // The first connection the server sees is the marker's: the denied connects never reached it.
            try (Socket marker = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
                    Socket accepted = server.accept()) {
                assertThat(accepted.getPort()).isEqualTo(marker.getLocalPort());
            }
        }
    }

    @Test
    void anAllowListOfIpv6LoopbackOnlyDeniesIpv4Destinations() throws Exception {
        try (DatagramChannel peer = loopbackPeer(); ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            factory(List.of("::1/128"), List.of());
            UDPSocket udp = this.factory.constructUDPSocketInstance();
            udp.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            BusinessError send = failure(udp.send(new UDPSendOptions("x", new NetAddress("127.0.0.1", port(peer)))));
            assertThat(send.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
            assertThat(send.getMessage()).contains("no allow entry of [::1/128]");
            TCPSocket tcp = this.factory.constructTCPSocketInstance();
            BusinessError connect = failure(
                    tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.getLocalPort()))));
            assertThat(connect.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
            assertThat(connect.getMessage()).contains("127.0.0.1:" + server.getLocalPort());
        }
        assumeIpv6Loopback();
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            UDPSocket udp = this.factory.constructUDPSocketInstance();
            udp.bind(new NetAddress("::1", 0, NetAddress.IPV6)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            udp.send(new UDPSendOptions("over ::1", new NetAddress("::1", port(peer), NetAddress.IPV6)))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(receive(peer)).isEqualTo("over ::1");
        }
    }

    @Test
    void aDatagramFromADeniedSourceIsDroppedAndCountedWhileAnAllowedOneArrives() throws Exception {
        try (DatagramChannel deniedSender = loopbackPeer(); DatagramChannel allowedSender = loopbackPeer()) {
            factory(List.of("127.0.0.0/8"), List.of("127.0.0.1:" + port(deniedSender)));
            UDPSocket receiver = this.factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            receiver.on(SocketEventType.MESSAGE, message -> received.add(message.text() + " from "
                    + message.remoteInfo().port()));
            receiver.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                    receiver.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS).port());

            for (int i = 0; i < 3; i++) {
                deniedSender.send(ByteBuffer.wrap(("denied " + i).getBytes(StandardCharsets.UTF_8)), to);
            }
            allowedSender.send(ByteBuffer.wrap("allowed".getBytes(StandardCharsets.UTF_8)), to);

            // One receive queue, in order: when the allowed one is delivered, the three before it were dropped.
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("allowed from " + port(allowedSender));
            ProtocolStats stats = this.factory.stats().of(Protocol.UDP);
            assertThat(stats.droppedMessages()).isEqualTo(3);
            assertThat(stats.messagesReceived()).isEqualTo(1);
            assertThat(((NioSocket) receiver).bytesReceived()).isEqualTo(7);

            // The decision is per datagram, not per sender once: the denied sender stays denied.
            deniedSender.send(ByteBuffer.wrap("denied again".getBytes(StandardCharsets.UTF_8)), to);
            allowedSender.send(ByteBuffer.wrap("allowed again".getBytes(StandardCharsets.UTF_8)), to);
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo("allowed again from " + port(allowedSender));
            assertThat(stats.droppedMessages()).isEqualTo(4);
            assertThat(received).isEmpty();
        }
    }

    private static DatagramChannel loopbackPeer() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return channel;
    }

    private static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Receives one datagram, blocking for at most the wait. */
    private static String receive(DatagramChannel channel) throws Exception {
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            try {
                channel.receive(buffer);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        });
        return text.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static <T> CompletableFuture<T> viaCallback(java.util.function.Consumer<AsyncCallback<T>> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        call.accept((error, value) -> {
            if (error != null) {
                future.completeExceptionally(error);
            }
            else {
                future.complete(value);
            }
        });
        return future;
    }

    private static BusinessError failure(CompletableFuture<?> result) throws Exception {
        try {
            Object value = result.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a BusinessError, but the operation succeeded with " + value);
        }
        catch (ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(BusinessError.class);
            return (BusinessError) ex.getCause();
        }
    }

    private static void assumeIpv6Loopback() {
        boolean available;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            available = ((InetSocketAddress) probe.getLocalAddress()).getAddress() instanceof Inet6Address;
        }
        catch (IOException ex) {
            available = false;
        }
        Assumptions.assumeTrue(available, "skipped: this host has no IPv6 loopback (::1)");
    }

}
