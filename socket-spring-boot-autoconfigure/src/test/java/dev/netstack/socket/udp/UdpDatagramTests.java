package dev.netstack.socket.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * send and 'message' of a UDP socket: what the receiver sees of every kind of payload and destination.
 */
class UdpDatagramTests extends UdpTestSupport {

    /** Both families, with the sender's address as the receiver reports it. */
    enum Family {

        IPV4(ANY_V4, "127.0.0.1", "IPv4", 65507), IPV6(ANY_V6, "::1", "IPv6", 65527);

        final NetAddress any;

        final String loopback;

        final String name;

        final int maxPayload;

        Family(NetAddress any, String loopback, String name, int maxPayload) {
            this.any = any;
            this.loopback = loopback;
            this.name = name;
            this.maxPayload = maxPayload;
        }

    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void textArrivesAsUtf8WithTheSendersRemoteInfo(Form form) throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(ANY_V4);
        String text = "grüße, 世界";
        await(send(sender, new UDPSendOptions(text, localAddress(receiver)), form));
        SocketMessageInfo message = inbox.next();
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(message.text()).isEqualTo(text);
        assertThat(message.size()).isEqualTo(size);
        assertThat(message.remoteInfo())
            .isEqualTo(new SocketRemoteInfo("127.0.0.1", "IPv4", localAddress(sender).port(), size));
        assertThat(inbox.threads()).allMatch(thread -> thread.startsWith(this.threadPrefix));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void everyByteValueArrivesExactly(Family family) throws Exception {
        UDPSocket receiver = boundSocket(family.any);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(family.any);
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        await(sender.send(new UDPSendOptions(all, localAddress(receiver))));
        SocketMessageInfo message = inbox.next();
        assertThat(message.bytes()).containsExactly(all);
        assertThat(message.remoteInfo())
            .isEqualTo(new SocketRemoteInfo(family.loopback, family.name, localAddress(sender).port(), 256));
        // The buffer view has the same bytes, and cannot change what other callbacks see.
        ByteBuffer view = message.message();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.remaining()).isEqualTo(256);
        assertThat(view.get(255)).isEqualTo((byte) 255);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void zeroLengthDatagramsAreSentAndReceived(Family family) throws Exception {
        UDPSocket receiver = boundSocket(family.any);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(family.any);
        NetAddress to = localAddress(receiver);
        await(sender.send(new UDPSendOptions(new byte[0], to)));
        await(sender.send(new UDPSendOptions("", to)));
        await(sender.send(new UDPSendOptions(ByteBuffer.allocate(0), to)));
        for (SocketMessageInfo message : inbox.next(3)) {
            assertThat(message.size()).isZero();
            assertThat(message.bytes()).isEmpty();
            assertThat(message.remoteInfo())
                .isEqualTo(new SocketRemoteInfo(family.loopback, family.name, localAddress(sender).port(), 0));
        }
        assertThat(((NioSocket) sender).bytesSent()).isZero();
        assertThat(this.factory.stats().of(Protocol.UDP).messagesSent()).isEqualTo(3);
    }

    @Test
    void byteBufferSendsOnlyItsRemainingBytesAndKeepsTheCallersPosition() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(ANY_V4);
        ByteBuffer heap = ByteBuffer.wrap("0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));
        heap.position(10).limit(16);
        await(sender.send(new UDPSendOptions(heap, localAddress(receiver))));
        assertThat(inbox.next().text()).isEqualTo("abcdef");
        assertThat(heap.position()).isEqualTo(10);
        assertThat(heap.limit()).isEqualTo(16);

        ByteBuffer direct = ByteBuffer.allocateDirect(8).put("xyzXYZ!?".getBytes(StandardCharsets.US_ASCII));
        direct.position(3);
        await(sender.send(new UDPSendOptions(direct.asReadOnlyBuffer(), localAddress(receiver))));
        assertThat(inbox.next().text()).isEqualTo("XYZ!?");
        assertThat(direct.position()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void sendToLocalhostReachesTheLoopbackOfTheFamily(Family family) throws Exception {
        UDPSocket receiver = boundSocket(family.any);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(family.any);
        int familyNumber = family.any.family();
        await(sender.send(new UDPSendOptions("by name", new NetAddress("localhost", localAddress(receiver).port(),
                familyNumber))));
        SocketMessageInfo message = inbox.next();
        assertThat(message.text()).isEqualTo("by name");
        assertThat(message.remoteInfo().address()).isEqualTo(family.loopback);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theLargestDatagramOfTheFamilyArrivesWhole(Family family) throws Exception {
        UDPSocket receiver = boundSocket(family.any);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(family.any);
        byte[] payload = new byte[family.maxPayload];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        await(sender.send(new UDPSendOptions(payload, localAddress(receiver))));
        SocketMessageInfo message = inbox.next();
        assertThat(message.size()).isEqualTo(family.maxPayload);
        assertThat(message.remoteInfo().size()).isEqualTo(family.maxPayload);
        assertThat(message.bytes()).isEqualTo(payload);
    }

    @Test
    void ipv6SocketBoundToTheWildcardSendsToAnIpv4Destination() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(new NetAddress("::", 0, NetAddress.IPV6));
        await(sender.send(new UDPSendOptions("across families", localAddress(receiver))));
        SocketMessageInfo message = inbox.next();
        assertThat(message.text()).isEqualTo("across families");
        assertThat(message.remoteInfo().family()).isEqualTo("IPv4");
        assertThat(message.remoteInfo().address()).isEqualTo("127.0.0.1");
    }

    @Test
    void sendThenCloseStillDeliversEveryAcceptedDatagram() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sends.add(sender.send(new UDPSendOptions("datagram " + i, to)));
        }
        await(sender.close());
        sends.forEach(UdpTestSupport::await);
        List<String> texts = inbox.next(50).stream().map(SocketMessageInfo::text).toList();
        assertThat(texts).hasSize(50).doesNotHaveDuplicates().allMatch(text -> text.startsWith("datagram "));
    }

    @Test
    void aBurstAfterDatagramsThatCameOneAtATimeArrivesWholeAndInOrder() throws Exception {
        // Datagrams that come one per wake-up make the receiver read one per wake-up; the burst that follows must
        // still arrive whole, with no later datagram to wake the receiver for the rest.
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", localAddress(receiver).port());
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            for (int i = 0; i < 20; i++) {
                peer.send(ByteBuffer.wrap(("one " + i).getBytes(StandardCharsets.US_ASCII)), to);
                assertThat(inbox.next().text()).isEqualTo("one " + i);
            }
            for (int i = 0; i < 100; i++) {
                peer.send(ByteBuffer.wrap(("burst " + i).getBytes(StandardCharsets.US_ASCII)), to);
            }
            List<String> burst = inbox.next(100).stream().map(SocketMessageInfo::text).toList();
            assertThat(burst).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "burst " + i).toList());
        }
    }

    @Test
    void countersTrackBytesAndDatagramsBothWays() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        for (int size : new int[] { 1, 10, 100, 1000 }) {
            await(sender.send(new UDPSendOptions(new byte[size], to)));
        }
        inbox.next(4);
        ProtocolStats udp = this.factory.stats().of(Protocol.UDP);
        assertThat(udp.messagesSent()).isEqualTo(4);
        assertThat(udp.bytesSent()).isEqualTo(1111);
        assertThat(udp.messagesReceived()).isEqualTo(4);
        assertThat(udp.bytesReceived()).isEqualTo(1111);
        assertThat(udp.pendingBytes()).isZero();
        assertThat(udp.active()).isEqualTo(2);
        assertThat(((NioSocket) sender).bytesSent()).isEqualTo(1111);
        assertThat(((NioSocket) receiver).bytesReceived()).isEqualTo(1111);
        await(sender.close());
        assertThat(udp.active()).isEqualTo(1);
    }

    @Test
    void aCallbackMaySendTheNextDatagramForAsLongAsItLikes() throws Exception {
        // Pacing sends by sending the next one from the previous one's callback is the natural way to use the
        // callback form; it must work for any number of datagrams, not only as deep as the stack goes.
        UDPSocket receiver = boundSocket(ANY_V4);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        int total = 20_000;
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AsyncCallback<Void> next = new AsyncCallback<>() {
            @Override
            public void onResult(dev.netstack.socket.BusinessError error, Void data) {
                if (error != null) {
                    done.completeExceptionally(error);
                }
                else if (sent.incrementAndGet() == total) {
                    done.complete(total);
                }
                else {
                    sender.send(new UDPSendOptions(new byte[] { 1 }, to), this);
                }
            }
        };
        sender.send(new UDPSendOptions(new byte[] { 1 }, to), next);
        assertThat(await(done)).isEqualTo(total);
        assertThat(this.factory.stats().callbackFailures()).isZero();
    }

    @Test
    void sendsFromManyThreadsAllCompleteAndEachThreadsInCallOrder() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        int threads = 4;
        int perThread = 250;
        List<List<Integer>> completions = new ArrayList<>();
        List<CompletableFuture<Void>> lastSends = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> last = new CompletableFuture<>();
            completions.add(completed);
            lastSends.add(last);
            int thread = t;
            producers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    int index = i;
                    sender.send(new UDPSendOptions(new byte[] { (byte) thread, (byte) index }, to), (error, data) -> {
                        completed.add(error == null ? index : -1 - index);
                        if (index == perThread - 1) {
                            last.complete(null);
                        }
                    });
                }
            }, "producer-" + t));
        }
        producers.forEach(Thread::start);
        for (CompletableFuture<Void> last : lastSends) {
            await(last);
        }
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        List<Integer> inCallOrder = IntStream.range(0, perThread).boxed().toList();
        for (List<Integer> completed : completions) {
            // Results of one thread's sends arrive once each, in the order of its calls, and every send succeeded.
            assertThat(completed).containsExactlyElementsOf(inCallOrder);
        }
        assertThat(this.factory.stats().of(Protocol.UDP).messagesSent()).isEqualTo(threads * perThread);
        assertThat(this.factory.stats().callbackFailures()).isZero();
    }

}
