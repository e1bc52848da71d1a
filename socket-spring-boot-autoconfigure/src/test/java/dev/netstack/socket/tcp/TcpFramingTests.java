package dev.netstack.socket.tcp;

import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Framing;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code TCPSocket.setFraming} on a real connection: each 'message' is one whole frame however the reads cut the
 * stream, the framing may change mid-stream, and a frame over the maximum ends in 'error' 2301090 and a reset.
 */
@Timeout(60)
class TcpFramingTests {

    private NioSocketFactory factory;

    private LoopbackServer server;

    @BeforeEach
    void start() throws Exception {
        this.factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build());
        this.server = new LoopbackServer();
    }

    @AfterEach
    void stop() throws Exception {
        this.factory.close();
        this.server.close();
    }

    @Test
    void framesReadOneByteAtATimeArriveWholeWithTheirSizeAndThePeer() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(Framing.lines(64));
        LinkedBlockingQueue<SocketMessageInfo> messages = messages(socket);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        byte[] stream = "first\r\n\nthird line\n\r\nend\n".getBytes(StandardCharsets.US_ASCII);
        OutputStream out = peer.getOutputStream();
        for (int i = 0; i < stream.length; i++) {
            out.write(stream[i]);
            long sent = i + 1;
            // The next byte only once this one was read: every read holds exactly one byte.
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> ((NioSocket) socket).bytesReceived() == sent);
        }
        List<SocketMessageInfo> received = take(messages, 5);
        assertThat(received).extracting(SocketMessageInfo::text).containsExactly("first", "", "third line", "", "end");
        assertThat(received).extracting(message -> message.remoteInfo().size()).containsExactly(5, 0, 10, 0, 3);
        assertThat(received.get(0).remoteInfo().address()).isEqualTo("127.0.0.1");
        assertThat(received.get(0).remoteInfo().port()).isEqualTo(this.server.port());
        assertThat(messages).isEmpty();
    }

    @Test
    void aFramingSetInTheConnectCallbackAppliesFromTheFirstByte() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.on(SocketEventType.CONNECT, nothing -> socket.setFraming(Framing.fixed(3)));
        LinkedBlockingQueue<SocketMessageInfo> messages = messages(socket);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        peer.getOutputStream().write("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        peer.getOutputStream().write("i".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(messages, 3)).extracting(SocketMessageInfo::text).containsExactly("abc", "def", "ghi");
    }

    @Test
    void aMessageCallbackMaySwitchTheFramingForTheRestOfTheSameRead() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(Framing.lines(100));
        socket.on(SocketEventType.MESSAGE, message -> {
            if (message.text().equals("BINARY")) {
                socket.setFraming(Framing.lengthField(2, 100));
            }
            else if (message.text().equals("RAW")) {
                socket.setFraming(Framing.none());
            }
        });
        LinkedBlockingQueue<SocketMessageInfo> messages = messages(socket);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        // One write: the switch happens in the middle of one read.
        peer.getOutputStream().write(concat("hello\nBINARY\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 3, 'a', 'b', 'c', 0, 0, 0, 3, 'R', 'A', 'W', 'x', '\n', 'y'}));
        List<SocketMessageInfo> received = take(messages, 6);
        assertThat(received).extracting(SocketMessageInfo::text)
            .containsExactly("hello", "BINARY", "abc", "", "RAW", "x\ny");
    }

    @Test
    void aFramingSetFromAnotherThreadTakesOverTheUnfinishedFrame() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(Framing.lines(100));
        LinkedBlockingQueue<SocketMessageInfo> messages = messages(socket);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        peer.getOutputStream().write("one\ntwofour".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(messages, 1)).extracting(SocketMessageInfo::text).containsExactly("one");
        await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> ((NioSocket) socket).bytesReceived() == 11);
        assertThat(messages).isEmpty();
        socket.setFraming(Framing.fixed(3));
        assertThat(take(messages, 2)).extracting(SocketMessageInfo::text).containsExactly("two", "fou");
        peer.getOutputStream().write("rs".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(messages, 1)).extracting(SocketMessageInfo::text).containsExactly("rrs");
    }

    @Test
    void aFrameOverTheMaximumFiresError2301090ThenResetsTheConnection() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(Framing.lengthField(2, 1000));
        LinkedBlockingQueue<SocketMessageInfo> messages = messages(socket);
        LinkedBlockingQueue<BusinessError> errors = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.ERROR, errors::add);
        EventLog events = EventLog.of(socket);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        peer.getOutputStream().write(new byte[] {0, 2, 'o', 'k', 0x03, (byte) 0xE9, 'n', 'o'});
        BusinessError error = errors.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error.getCode()).isEqualTo(BusinessError.MESSAGE_TOO_LONG);
        assertThat(error).hasMessage("frame of 1001 bytes (length field 1001) is over the maximum of 1000 bytes");
        assertThat(events.nextNonMessage()).isEqualTo("connect");
        assertThat(events.nextNonMessage()).isEqualTo("error:2301090");
        assertThat(events.nextNonMessage()).isEqualTo("close");
        assertThat(take(messages, 1)).extracting(SocketMessageInfo::text).containsExactly("ok");
        assertThat(events.all()).containsExactly("connect", "message:2", "error:2301090", "close");
        assertThatThrownBy(() -> LoopbackServer.readToEnd(peer)).isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
        assertThat(Await.result(socket.getState()).isClose()).isTrue();
    }

    @Test
    void aLineOverTheMaximumFailsBeforeItsEndArrives() throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        socket.setFraming(Framing.lines(10));
        EventLog events = EventLog.of(socket);
        LinkedBlockingQueue<BusinessError> errors = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.ERROR, errors::add);
        Await.result(socket.connect(new TCPConnectOptions(this.server.address())));
        Socket peer = this.server.accept();
        peer.getOutputStream().write("12345678901".getBytes(StandardCharsets.US_ASCII));
        BusinessError error = errors.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(error).hasMessage("frame of at least 11 bytes is over the maximum of 10 bytes");
        assertThat(events.nextNonMessage()).isEqualTo("connect");
        assertThat(events.nextNonMessage()).isEqualTo("error:2301090");
        assertThat(events.nextNonMessage()).isEqualTo("close");
    }

    @Test
    void aNullFramingIs401ThrownAtOnce() {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        assertThatThrownBy(() -> socket.setFraming(null)).isInstanceOfSatisfying(BusinessError.class,
                error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
            .hasMessage("framing must not be null: Framing.none() gives one message per read");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static LinkedBlockingQueue<SocketMessageInfo> messages(TCPSocket socket) {
        LinkedBlockingQueue<SocketMessageInfo> messages = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.MESSAGE, messages::add);
        return messages;
    }

    static List<SocketMessageInfo> take(LinkedBlockingQueue<SocketMessageInfo> messages, int count)
            throws InterruptedException {
        List<SocketMessageInfo> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketMessageInfo message = messages.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("message %d of %d within %d s (had %s)", i + 1, count, Await.SECONDS, taken)
                .isNotNull();
            taken.add(message);
        }
        return taken;
    }

}
