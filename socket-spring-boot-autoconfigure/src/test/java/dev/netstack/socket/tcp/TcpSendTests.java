package dev.netstack.socket.tcp;

import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.TcpConnectTests.Form;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * send on real loopback connections: order, completion, encodings, bulk data against a Node.js peer, the queue
 * limit against a peer that does not read, the send timeout, and close after send.
 */
@Timeout(120)
class TcpSendTests {

    private static final int KIB = 1024;

    private static final int MIB = 1024 * KIB;

    private NioSocketFactory factory;

    @AfterEach
    void closeFactory() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    private TCPSocket socket(SocketSettings.Builder settings) {
        if (this.factory == null) {
            this.factory = NioSocketFactory.create(settings.build());
        }
        return this.factory.constructTCPSocketInstance();
    }

    private TCPSocket socket() {
        return socket(SocketSettings.builder().ioThreads(1));
    }

    private static CompletableFuture<Void> send(TCPSocket socket, Form form, TCPSendOptions options) {
        return (form == Form.PROMISE) ? socket.send(options) : Await.callback(cb -> socket.send(options, cb));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void sendsCompleteInCallOrderAndEveryByteArrivesInOrder(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            ProtocolStats stats = this.factory.stats().of(Protocol.TCP);

            List<Integer> completed = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            ByteBuffer expected = ByteBuffer.allocate(200 * 40 * KIB);
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < 200; i++) {
                byte[] chunk = new byte[1 + random.nextInt(40 * KIB)];
                random.nextBytes(chunk);
                expected.put(chunk);
                // The three payload types in turn.
                Object data = switch (i % 3) {
                    case 0 -> chunk;
                    case 1 -> ByteBuffer.wrap(chunk);
                    default -> new String(chunk, StandardCharsets.ISO_8859_1);
                };
                int index = i;
                sends.add(send(socket, form, new TCPSendOptions(data, "ISO-8859-1"))
                    .whenComplete((nothing, error) -> completed.add(index)));
            }
            byte[] received = LoopbackServer.readExactly(peer, expected.position());
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(Await.SECONDS, TimeUnit.SECONDS);

            assertThat(received).isEqualTo(java.util.Arrays.copyOf(expected.array(), expected.position()));
            assertThat(completed).isSorted().hasSize(200);
            assertThat(((NioSocket) socket).bytesSent()).isEqualTo(expected.position());
            assertThat(stats.messagesSent()).isEqualTo(200);
            assertThat(stats.bytesSent()).isEqualTo(expected.position());
            assertThat(stats.pendingBytes()).isZero();
        }
    }

    @Test
    void aByteBufferSendsItsRemainingBytesAndKeepsItsPosition() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            ByteBuffer buffer = ByteBuffer.wrap("xxhelloyy".getBytes(StandardCharsets.US_ASCII));
            buffer.position(2).limit(7);
            Await.result(socket.send(new TCPSendOptions(buffer)));
            Await.result(socket.send(new TCPSendOptions(new byte[0])));
            Await.result(socket.send(new TCPSendOptions("")));
            Await.result(socket.send(new TCPSendOptions("!")));
            assertThat(new String(LoopbackServer.readExactly(peer, 6), StandardCharsets.US_ASCII)).isEqualTo("hello!");
            assertThat(buffer.position()).isEqualTo(2);
            assertThat(buffer.limit()).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = { "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-16", "US-ASCII", "ISO-8859-1",
            "null", "utf-16le", "US-AECII" })
    void everyEncodingArrivesExactlyAsJavaEncodesIt(String encoding) throws Exception {
        String text = "Grüße, Ünïcödé \u4e16\u754c \ud83d\ude00 ascii\r\n";
        Charset charset = switch (encoding == null ? "UTF-8" : encoding.toUpperCase()) {
            case "UTF-16BE" -> StandardCharsets.UTF_16BE;
            case "UTF-16LE" -> StandardCharsets.UTF_16LE;
            case "UTF-16" -> StandardCharsets.UTF_16;
            case "US-ASCII", "US-AECII" -> StandardCharsets.US_ASCII;
            case "ISO-8859-1" -> StandardCharsets.ISO_8859_1;
            default -> StandardCharsets.UTF_8;
        };
        try (NodePeer node = NodePeer.start("record")) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            int port = Await.result(socket.getLocalAddress()).port();
            Await.result(socket.send(new TCPSendOptions(text, encoding)));
            Await.result(socket.close());

            NodePeer.Event end = node.await("end", port);
            assertThat(end.get("hex")).isEqualTo(HexFormat.of().formatHex(text.getBytes(charset)));
        }
    }

    @Test
    void twoHundredFiftySixMebibytesInOddChunksArriveWholeAndInOrder() throws Exception {
        long total = 256L * MIB;
        byte[] source = new byte[4 * MIB];
        new SplittableRandom(42).nextBytes(source);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (NodePeer node = NodePeer.start("record")) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            int port = Await.result(socket.getLocalAddress()).port();

            // A bounded number in flight keeps the queue under its limit, as an application should.
            Semaphore inFlight = new Semaphore(64);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            long sent = 0;
            for (int i = 0; sent < total; i++) {
                int size = (int) Math.min((i % 2 == 0) ? 65521 : 7, total - sent);
                int offset = (int) ((i * 7919L) % (source.length - size));
                sha.update(source, offset, size);
                assertThat(inFlight.tryAcquire(Await.SECONDS, TimeUnit.SECONDS)).as("send %d completed", i).isTrue();
                socket.send(new TCPSendOptions(ByteBuffer.wrap(source, offset, size))).whenComplete((nothing, error) -> {
                    if (error != null) {
                        failures.add(error);
                    }
                    inFlight.release();
                });
                sent += size;
            }
            Await.result(socket.close());
            assertThat(failures).isEmpty();

            NodePeer.Event end = node.await("end", port, 60);
            assertThat(end.number("bytes")).isEqualTo(total);
            assertThat(end.get("sha256")).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        }
    }

    @Test
    void sendThenCloseDeliversEveryAcceptedByte() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            byte[] data = new byte[8 * MIB];
            new SplittableRandom(3).nextBytes(data);
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int offset = 0; offset < data.length; offset += 64 * KIB) {
                sends.add(socket.send(new TCPSendOptions(ByteBuffer.wrap(data, offset, 64 * KIB))));
            }
            CompletableFuture<Void> closed = socket.close();

            assertThat(LoopbackServer.readToEnd(peer)).isEqualTo(data);
            Await.result(closed);
            for (CompletableFuture<Void> send : sends) {
                Await.result(send);
            }
            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(log.count("close")).isEqualTo(1);
            BusinessError late = Await.failure(socket.send(new TCPSendOptions("late")));
            assertThat(late.getCode()).isEqualTo(BusinessError.NOT_BOUND);
        }
    }

    @Test
    void aSendLargerThanTheQueueLimitFailsEvenOnAnIdleConnection() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket(SocketSettings.builder().ioThreads(1).sendQueueLimit(1024));
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            BusinessError error = Await.failure(socket.send(new TCPSendOptions(new byte[1025])));
            assertThat(error.getCode()).isEqualTo(BusinessError.NO_BUFFER_SPACE);
            assertThat(error.getMessage()).contains("1025").contains("limit of 1024");
            Await.result(socket.send(new TCPSendOptions(new byte[1024])));
            assertThat(LoopbackServer.readExactly(peer, 1024)).hasSize(1024);
            assertThat(this.factory.stats().of(Protocol.TCP).errors(BusinessError.NO_BUFFER_SPACE)).isEqualTo(1);
        }
    }

    @Test
    void aPeerThatDoesNotReadFillsTheQueueUntil2301105AndThenEveryAcceptedSendArrives() throws Exception {
        long limit = 256 * KIB;
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(16 * KIB);
        try (NodePeer node = NodePeer.start("paused")) {
            TCPSocket socket = socket(SocketSettings.builder().ioThreads(1).sendQueueLimit(limit).tcpDefaults(small));
            NioSocket nio = (NioSocket) socket;
            ProtocolStats stats = this.factory.stats().of(Protocol.TCP);
            Await.result(socket.connect(new TCPConnectOptions(node.address())));
            int port = Await.result(socket.getLocalAddress()).port();

            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<CompletableFuture<Void>> accepted = new ArrayList<>();
            long acceptedBytes = 0;
            BusinessError rejected = null;
            for (int i = 0; rejected == null; i++) {
                assertThat(acceptedBytes).as("the queue filled before 512 MiB were accepted").isLessThan(512L * MIB);
                byte[] chunk = new byte[64 * KIB];
                new SplittableRandom(i).nextBytes(chunk);
                CompletableFuture<Void> send = socket.send(new TCPSendOptions(chunk));
                // A round trip through the loop: the send has been written, queued or refused by then.
                Await.result(nio.effectiveOptions());
                if (send.isCompletedExceptionally()) {
                    rejected = Await.failure(send);
                }
                else {
                    accepted.add(send);
                    acceptedBytes += chunk.length;
                    sha.update(chunk);
                }
            }
            assertThat(rejected.getCode()).isEqualTo(BusinessError.NO_BUFFER_SPACE);
            assertThat(rejected.getMessage()).contains("limit of " + limit);
            assertThat(nio.pendingBytes()).isPositive().isLessThanOrEqualTo(limit);
            assertThat(stats.pendingBytes()).isEqualTo(nio.pendingBytes());
            assertThat(accepted.get(accepted.size() - 1)).as("the last accepted send waits in the queue").isNotDone();

            node.command("resume");
            for (CompletableFuture<Void> send : accepted) {
                Await.result(send);
            }
            assertThat(nio.pendingBytes()).isZero();
            assertThat(stats.pendingBytes()).isZero();
            Await.result(socket.close());
            NodePeer.Event end = node.await("end", port, 30);
            assertThat(end.number("bytes")).isEqualTo(acceptedBytes);
            assertThat(end.get("sha256")).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        }
    }

    @Test
    void aSendThatMakesNoProgressWithinSocketTimeoutFailsThenErrorThenResetAndClose() throws Exception {
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(8 * KIB);
        try (LoopbackServer server = new LoopbackServer("127.0.0.1", 4 * KIB)) {
            TCPSocket socket = socket(SocketSettings.builder().ioThreads(1).tcpDefaults(small));
            EventLog log = EventLog.of(socket);
            List<BusinessError> errors = new CopyOnWriteArrayList<>();
            socket.on(dev.netstack.socket.SocketEventType.ERROR, errors::add);
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            TCPExtraOptions timeout = new TCPExtraOptions();
            timeout.setSocketTimeout(300);
            Await.result(socket.setExtraOptions(timeout));

            List<CompletableFuture<Void>> sends = fillUntilQueued(socket);
            assertThat(log.nextNonMessage()).isEqualTo("connect");
            assertThat(log.nextNonMessage()).isEqualTo("error:" + BusinessError.TIMED_OUT);
            assertThat(log.nextNonMessage()).isEqualTo("close");
            assertThat(errors.get(0).getMessage()).contains("socketTimeout 300 ms");

            List<BusinessError> failed = new ArrayList<>();
            for (CompletableFuture<Void> send : sends) {
                if (!send.isDone() || send.isCompletedExceptionally()) {
                    failed.add(Await.failure(send));
                }
            }
            assertThat(failed).isNotEmpty().allSatisfy(error -> assertThat(error.getCode()).isEqualTo(BusinessError.TIMED_OUT));
            // The peer must not take a stream cut off in the middle of a send for a complete one.
            assertThatThrownBy(() -> LoopbackServer.readToEnd(peer)).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
            assertThat(Await.result(socket.getState()).isClose()).isTrue();
        }
    }

    @Test
    void closeWaitsForAStuckQueueOnlyUntilSocketTimeout() throws Exception {
        TCPExtraOptions options = new TCPExtraOptions();
        options.setSendBufferSize(8 * KIB);
        options.setSocketTimeout(300);
        try (LoopbackServer server = new LoopbackServer("127.0.0.1", 4 * KIB)) {
            TCPSocket socket = socket(SocketSettings.builder().ioThreads(1).tcpDefaults(options));
            EventLog log = EventLog.of(socket);
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            server.accept();
            List<CompletableFuture<Void>> sends = fillUntilQueued(socket);

            Await.result(socket.close());
            CompletableFuture<Void> last = sends.get(sends.size() - 1);
            assertThat(Await.failure(last).getCode()).isEqualTo(BusinessError.TIMED_OUT);
            assertThat(log.all()).containsSubsequence("error:" + BusinessError.TIMED_OUT, "close");
            assertThat(log.count("close")).isEqualTo(1);
        }
    }

    /** Sends 64 KiB chunks until one stays queued because the kernel's buffers are full. */
    private static List<CompletableFuture<Void>> fillUntilQueued(TCPSocket socket) throws Exception {
        NioSocket nio = (NioSocket) socket;
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        while (nio.pendingBytes() == 0) {
            assertThat(sends).as("the kernel's buffers filled within 64 MiB").hasSizeLessThan(1024);
            sends.add(socket.send(new TCPSendOptions(new byte[64 * KIB])));
            Await.result(nio.effectiveOptions());
        }
        return sends;
    }

}
