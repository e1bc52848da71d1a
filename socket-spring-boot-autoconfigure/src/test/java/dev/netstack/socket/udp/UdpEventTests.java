package dev.netstack.socket.udp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.Callback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events of a UDP socket ('message', 'listening', 'close'; 'error' is in the engine's own tests, as loopback
 * cannot make a receive fail) and how on/off manage their callbacks.
 */
class UdpEventTests extends UdpTestSupport {

    @ParameterizedTest
    @EnumSource(Form.class)
    void listeningFiresAfterBindSucceedsAndBeforeTheResult(Form form) {
        UDPSocket socket = newSocket();
        List<String> order = new CopyOnWriteArrayList<>();
        socket.on(SocketEventType.LISTENING, ignored -> {
            // Bound already: the local address is known when 'listening' fires.
            order.add("listening on " + ((NioSocket) socket).localAddress().port());
        });
        await(bind(socket, ANY_V4, form).thenRun(() -> order.add("bind result")));
        assertThat(order).containsExactly("listening on " + localAddress(socket).port(), "bind result");
    }

    @Test
    void listeningCallbacksRunInRegistrationOrderOnTheLoop() {
        UDPSocket socket = newSocket();
        List<String> calls = new CopyOnWriteArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            socket.on(SocketEventType.LISTENING, ignored -> calls.add(name + "@" + Thread.currentThread().getName()));
        }
        await(socket.bind(ANY_V4));
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).startsWith("first@" + this.threadPrefix);
        assertThat(calls.get(1)).startsWith("second@" + this.threadPrefix);
        assertThat(calls.get(2)).startsWith("third@" + this.threadPrefix);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void closeFiresExactlyOnceThoughCloseIsCalledTwice(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        AtomicInteger closes = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        socket.on(SocketEventType.CLOSE, ignored -> {
            closes.incrementAndGet();
            order.add("close event");
        });
        CompletableFuture<Void> first = close(socket, form).thenRun(() -> order.add("first result"));
        CompletableFuture<Void> second = close(socket, form).thenRun(() -> order.add("second result"));
        await(first);
        await(second);
        assertThat(closes).hasValue(1);
        assertThat(order).startsWith("close event");
        assertThat(order).containsExactlyInAnyOrder("close event", "first result", "second result");
        // Closing the factory afterwards must not announce the closed socket again.
        this.factory.close();
        assertThat(closes).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void closeOfANeverBoundSocketSucceedsAndFiresClose(Form form) {
        UDPSocket socket = newSocket();
        AtomicInteger closes = new AtomicInteger();
        socket.on(SocketEventType.CLOSE, ignored -> closes.incrementAndGet());
        await(close(socket, form));
        assertThat(closes).hasValue(1);
        await(close(socket, form));
        assertThat(closes).hasValue(1);
    }

    @Test
    void aPortIsFreeAgainWhenTheCloseEventFires() throws Exception {
        UDPSocket socket = boundSocket(ANY_V4);
        NetAddress address = localAddress(socket);
        UDPSocket successor = newSocket();
        CompletableFuture<Void> rebound = new CompletableFuture<>();
        // Re-binding from the 'close' callback is what a restart of a listener does.
        socket.on(SocketEventType.CLOSE, ignored -> successor.bind(address, (error, data) -> {
            if (error != null) {
                rebound.completeExceptionally(error);
            }
            else {
                rebound.complete(null);
            }
        }));
        await(socket.close());
        await(rebound);
        assertThat(localAddress(successor)).isEqualTo(address);
    }

    @Test
    void messageCallbacksRunOncePerDatagramInRegistrationOrderAndOffRemovesThem() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        List<String> calls = new CopyOnWriteArrayList<>();
        Callback<SocketMessageInfo> a = message -> calls.add("a:" + message.text());
        Callback<SocketMessageInfo> b = message -> calls.add("b:" + message.text());
        Callback<SocketMessageInfo> c = message -> calls.add("c:" + message.text());
        receiver.on(SocketEventType.MESSAGE, a);
        receiver.on(SocketEventType.MESSAGE, b);
        receiver.on(SocketEventType.MESSAGE, a);
        receiver.on(SocketEventType.MESSAGE, c);
        // The inbox is registered last, so when it has a message every callback before it has run.
        Inbox inbox = Inbox.of(receiver);

        await(sender.send(new UDPSendOptions("1", to)));
        inbox.next();
        assertThat(calls).containsExactly("a:1", "b:1", "c:1");

        calls.clear();
        receiver.off(SocketEventType.MESSAGE, b);
        // Removing a callback that is not registered does nothing.
        receiver.off(SocketEventType.MESSAGE, message -> calls.add("never registered"));
        await(sender.send(new UDPSendOptions("2", to)));
        inbox.next();
        assertThat(calls).containsExactly("a:2", "c:2");

        calls.clear();
        receiver.off(SocketEventType.MESSAGE);
        CountDownLatch afterOff = new CountDownLatch(1);
        receiver.on(SocketEventType.MESSAGE, message -> afterOff.countDown());
        await(sender.send(new UDPSendOptions("3", to)));
        assertThat(afterOff.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).isEmpty();
        assertThat(inbox.drain()).isEmpty();
    }

    @Test
    void offOfOneTypeLeavesTheOtherTypesAlone() {
        UDPSocket socket = newSocket();
        AtomicInteger listening = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        Callback<Void> onListening = ignored -> listening.incrementAndGet();
        socket.on(SocketEventType.LISTENING, onListening);
        socket.on(SocketEventType.CLOSE, ignored -> closes.incrementAndGet());
        socket.off(SocketEventType.CLOSE);
        socket.off(SocketEventType.ERROR);
        await(socket.bind(ANY_V4));
        await(socket.close());
        assertThat(listening).hasValue(1);
        assertThat(closes).hasValue(0);
    }

    @Test
    void aCallbackThatThrowsIsCountedAndLaterDatagramsStillArrive() throws Exception {
        UDPSocket receiver = boundSocket(ANY_V4);
        UDPSocket sender = boundSocket(ANY_V4);
        NetAddress to = localAddress(receiver);
        AtomicInteger thrown = new AtomicInteger();
        receiver.on(SocketEventType.MESSAGE, message -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("a callback's own bug, thrown on purpose by the test");
        });
        Inbox inbox = Inbox.of(receiver);
        for (int i = 0; i < 3; i++) {
            await(sender.send(new UDPSendOptions("datagram " + i, to)));
        }
        assertThat(inbox.next(3)).extracting(SocketMessageInfo::text)
            .containsExactlyInAnyOrder("datagram 0", "datagram 1", "datagram 2");
        assertThat(thrown).hasValue(3);
        assertThat(this.factory.stats().callbackFailures()).isEqualTo(3);

        // A throwing result callback is counted the same way, and the socket goes on.
        CountDownLatch called = new CountDownLatch(1);
        sender.send(new UDPSendOptions("datagram 3", to), (error, data) -> {
            called.countDown();
            throw new IllegalStateException("a result callback's own bug, thrown on purpose by the test");
        });
        assertThat(called.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(inbox.next().text()).isEqualTo("datagram 3");
        await(sender.send(new UDPSendOptions("datagram 4", to)));
        assertThat(inbox.next().text()).isEqualTo("datagram 4");
        // Five message callbacks threw, then one result callback; each ran before the next step was observed.
        assertThat(thrown).hasValue(5);
        assertThat(this.factory.stats().callbackFailures()).isEqualTo(6);
    }

    @Test
    void closeFromAMessageCallbackStopsDeliveryAtOnce() throws Exception {
        UDPSocket receiver = newSocket();
        UDPSocket sender = boundSocket(ANY_V4);
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        receiver.on(SocketEventType.MESSAGE, message -> {
            delivered.incrementAndGet();
            receiver.close();
        });
        receiver.on(SocketEventType.CLOSE, ignored -> closed.countDown());
        await(receiver.bind(ANY_V4));
        NetAddress to = localAddress(receiver);
        // Several datagrams wait in the socket's buffer before the first is handled, usually read in one batch.
        for (int i = 0; i < 10; i++) {
            await(sender.send(new UDPSendOptions("datagram " + i, to)));
        }
        assertThat(closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(delivered).hasValue(1);
    }

}
