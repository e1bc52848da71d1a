package dev.netstack.socket.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TCPSocket talking to a real Redis server on loopback: a peer with its own protocol parser, which answers only
 * when every byte of a command arrived intact. Skipped, saying why, where {@code redis-server} is not installed.
 */
@Timeout(60)
class RedisPeerTests {

    private static Process redis;

    private static int port;

    private NioSocketFactory factory;

    private TCPSocket socket;

    private final StringBuilder replies = new StringBuilder();

    private final LinkedBlockingQueue<String> chunks = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startRedis() throws Exception {
        Assumptions.assumeTrue(redisAvailable(), "skipped: 'redis-server' is not on PATH; install it "
                + "(e.g. apt-get install redis-server, as .ci/run does) to run the Redis peer tests");
        // Redis refuses port 0: take a free port from the kernel and hand it over.
        port = TcpConnectTests.freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(RedisPeerTests::accepting);
    }

    private static boolean redisAvailable() {
        return Commands.available("redis-server", "--version");
    }

    private static boolean accepting() {
        assertThat(redis.isAlive()).as("redis-server is running on port %d", port).isTrue();
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly();
            }
        }
    }

    @BeforeEach
    void connect() throws Exception {
        this.factory = NioSocketFactory.create();
        this.socket = this.factory.constructTCPSocketInstance();
        this.socket.on(SocketEventType.MESSAGE, message -> this.chunks.add(message.text(StandardCharsets.UTF_8)));
        Await.result(this.socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", port), 2000)));
    }

    @AfterEach
    void close() {
        this.factory.close();
    }

    /** Reads replies until {@code expected} has arrived whole, however the stream was cut into messages. */
    private void expectReply(String expected) throws InterruptedException {
        while (this.replies.length() < expected.length()) {
            String chunk = this.chunks.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(chunk).as("a reply from Redis after %s", this.replies).isNotNull();
            this.replies.append(chunk);
        }
        assertThat(this.replies.substring(0, expected.length())).isEqualTo(expected);
        this.replies.delete(0, expected.length());
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        Await.result(this.socket.send(new TCPSendOptions("PING\r\n")));
        expectReply("+PONG\r\n");
    }

    @Test
    void aValueSetInOneCommandComesBackFromTheNext() throws Exception {
        String value = "Grüße \u4e16\u754c";
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        Await.result(this.socket.send(new TCPSendOptions("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$" + length + "\r\n" + value
                + "\r\n")));
        expectReply("+OK\r\n");
        Await.result(this.socket.send(new TCPSendOptions("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n".getBytes(StandardCharsets.US_ASCII))));
        expectReply("$" + length + "\r\n" + value + "\r\n");
    }

    @Test
    void aThousandPipelinedCommandsAreAnsweredInOrder() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String text = "n" + i;
            this.socket.send(new TCPSendOptions("*2\r\n$4\r\nECHO\r\n$" + text.length() + "\r\n" + text + "\r\n"));
            expected.append('$').append(text.length()).append("\r\n").append(text).append("\r\n");
        }
        expectReply(expected.toString());
    }

}
