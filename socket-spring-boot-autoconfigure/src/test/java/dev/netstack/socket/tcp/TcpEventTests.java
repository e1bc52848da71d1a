package dev.netstack.socket.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.SocketRemoteInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.TcpConnectTests.Form;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events of a TCP socket: message, connect, close and error, their off forms, and how the connection's end
 * (ours, the peer's FIN, the peer's reset) shows in them.
 */
@Timeout(60)
class TcpEventTests {

    /** Every event of every socket, as an observer sees it after the socket's own callbacks ran. */
    private final LinkedBlockingQueue<String> observed = new LinkedBlockingQueue<>();

    private NioSocketFactory factory;

    @BeforeEach
    void startFactory() {
        this.factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).observer(new SocketObserver() {
            @Override
            public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
                TcpEventTests.this.observed.add(type.name());
            }
        }).build());
    }

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    private void awaitObserved(String event) throws InterruptedException {
        while (true) {
            String next = this.observed.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(next).as("observer saw '%s'", event).isNotNull();
            if (next.equals(event)) {
                return;
            }
        }
    }

    @Test
    void aMessageCarriesOneReadAndThePeersAddress() throws Exception {
        try (NodePeer node = NodePeer.start("greet", "hello-from-node")) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            LinkedBlockingQueue<SocketMessageInfo> messages = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.MESSAGE, messages::add);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));

            SocketMessageInfo message = messages.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(message).isNotNull();
            assertThat(message.text()).isEqualTo("hello-from-node");
            assertThat(message.remoteInfo()).isEqualTo(new SocketRemoteInfo("127.0.0.1", "IPv4", node.port(), 15));
            assertThat(message.message().isReadOnly()).isTrue();
            assertThat(((NioSocket) socket).bytesReceived()).isEqualTo(15);
        }
    }

    @Test
    void messagesCarryTheWholeStreamInOrder() throws Exception {
        try (NodePeer node = NodePeer.start("echo")) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            StringBuilder received = new StringBuilder();
            AtomicInteger messages = new AtomicInteger();
            LinkedBlockingQueue<Integer> sizes = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.MESSAGE, message -> {
                received.append(message.text());
                messages.incrementAndGet();
                assertThat(message.remoteInfo().size()).isEqualTo(message.size());
                sizes.add(message.size());
            });
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                String line = "line " + i + "\n";
                sent.append(line);
                socket.send(new TCPSendOptions(line));
            }
            int total = 0;
            while (total < sent.length()) {
                Integer size = sizes.poll(Await.SECONDS, TimeUnit.SECONDS);
                assertThat(size).as("echo of %d bytes, %d so far", sent.length(), total).isNotNull();
                total += size;
            }
            Await.result(socket.close());
            assertThat(received.toString()).isEqualTo(sent.toString());
            assertThat(messages.get()).isPositive();
        }
    }

    @Test
    void offRemovesOneCallbackAndOffOfATypeRemovesAll() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            List<String> first = new CopyOnWriteArrayList<>();
            List<String> second = new CopyOnWriteArrayList<>();
            Callback<SocketMessageInfo> one = message -> first.add(message.text());
            Callback<SocketMessageInfo> two = message -> second.add(message.text());
            socket.on(SocketEventType.MESSAGE, one);
            socket.on(SocketEventType.MESSAGE, two);
            socket.on(SocketEventType.MESSAGE, two);
            List<String> connects = new CopyOnWriteArrayList<>();
            Callback<Void> removedConnect = nothing -> connects.add("removed");
            socket.on(SocketEventType.CONNECT, removedConnect);
            socket.on(SocketEventType.CONNECT, nothing -> connects.add("kept"));
            socket.off(SocketEventType.CONNECT, removedConnect);

            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            assertThat(connects).containsExactly("kept");
            Socket peer = server.accept();
            OutputStream out = peer.getOutputStream();

            out.write("a".getBytes(StandardCharsets.US_ASCII));
            awaitObserved("message");
            assertThat(first).containsExactly("a");
            assertThat(second).as("registered twice, called once").containsExactly("a");

            socket.off(SocketEventType.MESSAGE, one);
            out.write("b".getBytes(StandardCharsets.US_ASCII));
            awaitObserved("message");
            assertThat(first).containsExactly("a");
            assertThat(second).containsExactly("a", "b");

            socket.off(SocketEventType.MESSAGE);
            out.write("c".getBytes(StandardCharsets.US_ASCII));
            awaitObserved("message");
            assertThat(second).containsExactly("a", "b");

            List<String> ends = new CopyOnWriteArrayList<>();
            Callback<Void> close = nothing -> ends.add("close");
            Callback<BusinessError> error = e -> ends.add("error");
            socket.on(SocketEventType.CLOSE, close);
            socket.on(SocketEventType.ERROR, error);
            socket.off(SocketEventType.CLOSE, close);
            socket.off(SocketEventType.ERROR);
            peer.setSoLinger(true, 0);
            peer.close();
            awaitObserved("close");
            assertThat(ends).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void ourCloseFiresCloseOnceAndClosingAgainSucceeds(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();

            Await.result(close(socket, form));
            Await.result(close(socket, form));
            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(log.count("close")).isEqualTo(1);
            assertThat(LoopbackServer.readToEnd(peer)).as("the peer sees a clean end of stream").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aSocketThatNeverConnectedClosesToo(Form form) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        EventLog log = EventLog.of(socket);
        Await.result(close(socket, form));
        assertThat(log.nextNonMessage()).isEqualTo("close");
        assertThat(Await.result(socket.getState()).isClose()).isTrue();
    }

    private static java.util.concurrent.CompletableFuture<Void> close(TCPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.close() : Await.callback(socket::close);
    }

    @Test
    void thePeersFinFiresCloseOnce() throws Exception {
        try (NodePeer node = NodePeer.start("close-after", "5")) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            Await.result(socket.send(new TCPSendOptions("12345")));

            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(Await.result(socket.getState()).isClose()).isTrue();
            Await.result(socket.close());
            assertThat(log.all()).containsExactly("connect", "close");
            assertThat(Await.failure(socket.send(new TCPSendOptions("late"))).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        }
    }

    @Test
    void thePeersResetFiresErrorThenCloseOnce() throws Exception {
        try (NodePeer node = NodePeer.start("reset-after", "5")) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            EventLog log = EventLog.of(socket);
            List<BusinessError> errors = new CopyOnWriteArrayList<>();
            socket.on(SocketEventType.ERROR, errors::add);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            Await.result(socket.send(new TCPSendOptions("12345")));

            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("error:" + BusinessError.CONNECTION_RESET);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(errors.get(0).getMessage()).contains("127.0.0.1:" + node.port());
            Await.result(socket.close());
            assertThat(log.count("close")).isEqualTo(1);
            assertThat(this.factory.stats().of(dev.netstack.socket.nio.Protocol.TCP).errors(BusinessError.CONNECTION_RESET))
                .isEqualTo(1);
        }
    }

    @Test
    void aCloseCalledFromTheErrorCallbackGetsItsResultAfterTheCloseEvent() throws Exception {
        // The reset is read inside a select, and the close that it causes ends there too: the close() called from
        // the 'error' callback must still get its result after 'close', as every close() does.
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch closed = new CountDownLatch(1);
            socket.on(SocketEventType.ERROR, error -> {
                order.add("'error'");
                socket.close((failure, ignored) -> {
                    order.add((failure == null) ? "close result" : "close failed: " + failure);
                    closed.countDown();
                });
            });
            socket.on(SocketEventType.CLOSE, ignored -> order.add("'close'"));
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();

            peer.setSoLinger(true, 0);
            peer.close();

            assertThat(closed.await(Await.SECONDS, TimeUnit.SECONDS)).as("the close result arrived").isTrue();
            assertThat(order).containsExactly("'error'", "'close'", "close result");
        }
    }

    @Test
    void noMessageArrivesAfterACallbackClosedTheSocket() throws Exception {
        // The peer reads nothing, so our sends stay queued and close() has to flush: the socket stays open while
        // the peer's data keeps arriving, which is when a careless loop would go on delivering messages.
        try (LoopbackServer server = new LoopbackServer("127.0.0.1", 4 * 1024)) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            AtomicBoolean armed = new AtomicBoolean();
            AtomicBoolean closeCalled = new AtomicBoolean();
            AtomicInteger lateMessages = new AtomicInteger();
            EventLog log = EventLog.of(socket);
            socket.on(SocketEventType.MESSAGE, message -> {
                if (!armed.get()) {
                    return;
                }
                if (closeCalled.getAndSet(true)) {
                    lateMessages.incrementAndGet();
                }
                else {
                    socket.close();
                }
            });
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            TCPExtraOptions options = new TCPExtraOptions();
            options.setSendBufferSize(8 * 1024);
            options.setSocketTimeout(500);
            Await.result(socket.setExtraOptions(options));
            // The peer writes without end from the start, so that a message is always on its way once the queue
            // is stuck: the close must come from a message before the send timeout, however slow this thread is.
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        peer.getOutputStream().write(new byte[64 * 1024]);
                    }
                }
                catch (IOException ex) {
                    // The socket closed under the writer, as intended.
                }
            });
            writer.start();
            NioSocket nio = (NioSocket) socket;
            while (nio.pendingBytes() == 0) {
                socket.send(new TCPSendOptions(new byte[64 * 1024]));
                Await.result(nio.effectiveOptions());
            }
            armed.set(true);

            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("error:" + BusinessError.TIMED_OUT);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            peer.close();
            writer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
            assertThat(closeCalled).isTrue();
            assertThat(lateMessages).hasValue(0);
        }
    }

    @Test
    void aCallbackThatThrowsIsCountedAndIoGoesOn() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = this.factory.constructTCPSocketInstance();
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            socket.on(SocketEventType.MESSAGE, message -> {
                throw new IllegalStateException("a careless callback");
            });
            socket.on(SocketEventType.MESSAGE, message -> received.add(message.text()));
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();

            peer.getOutputStream().write("one".getBytes(StandardCharsets.US_ASCII));
            assertThat(received.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("one");
            peer.getOutputStream().write("two".getBytes(StandardCharsets.US_ASCII));
            assertThat(received.poll(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo("two");
            assertThat(this.factory.stats().callbackFailures()).isEqualTo(2);
            Await.result(socket.send(new TCPSendOptions("still sending")));
        }
    }

}
