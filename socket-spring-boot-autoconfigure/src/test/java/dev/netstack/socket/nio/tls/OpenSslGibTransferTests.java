package dev.netstack.socket.nio.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;
import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.TLSSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One GiB through OpenSSL in each direction, byte-exact: our {@link TLSSocket} to {@code openssl s_server}, and
 * {@code openssl s_client} to our {@link TLSSocketServer}, TLS 1.3. The bytes come from a seeded generator, block by
 * block, and both ends compare SHA-256 digests, so that a lost, repeated or reordered record fails the test.
 */
@Timeout(180)
class OpenSslGibTransferTests {

    private static final long TOTAL = 1L << 30;

    private static final int BLOCK = 64 * 1024;

    /** The sends in flight at once: 4 MiB, well under the send queue limit, enough to keep the pipe full. */
    private static final int WINDOW = 64;

    @TempDir
    static Path dir;

    private static PeerFiles files;

    private final NioSocketFactory factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).build());

    @BeforeAll
    static void writeCertificates() throws IOException {
        Assumptions.assumeTrue(Commands.available("openssl", "version"),
                "skipped: 'openssl' is not on PATH; install it (e.g. apt-get install openssl, as .ci/run does)");
        files = PeerFiles.write(dir);
    }

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void ourTlsSocketSendsOneGibToOpenSslServer() throws Exception {
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-tls1_3", "-cert", files.serverCert(), "-key", files.serverKey())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            InputStream out = server.getInputStream();
            String accept = skipUntil(out, (line) -> line.startsWith("ACCEPT "));
            int port = Integer.parseInt(accept.substring(accept.lastIndexOf(':') + 1));
            // s_server prints the session before the data: the data begins after a line of ours.
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try {
                    skipUntil(out, "START"::equals);
                    return digestOf(out, TOTAL);
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            TLSSocket socket = this.factory.constructTLSSocketInstance();
            TLSSecureOptions options = MemoryPair.trusting(TLSProtocol.TLSv13);
            Await.result(socket.connect(new TLSConnectOptions(new NetAddress("127.0.0.1", port), options)));
            Await.result(socket.send("START\n"));
            String sent = sendBlocks(socket);

            assertThat(received.get(120, TimeUnit.SECONDS)).as("SHA-256 of what s_server wrote out").isEqualTo(sent);
            Await.result(socket.close());
        }
        finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void openSslClientSendsOneGibToOurTlsServer() throws Exception {
        TLSSocketServer server = this.factory.constructTLSSocketServerInstance();
        MessageDigest digest = sha256();
        long[] count = new long[1];
        CompletableFuture<String> received = new CompletableFuture<>();
        server.on(TLSSocketServer.CONNECT, (connection) -> connection.on(SocketEventType.MESSAGE, (message) -> {
            // On the connection's event loop, one message after another: the digest needs no lock.
            digest.update(message.message());
            count[0] += message.size();
            if (count[0] >= TOTAL) {
                received.complete(HexFormat.of().formatHex(digest.digest()) + " after " + count[0] + " bytes");
            }
        }));
        Await.result(server.listen(new TLSConnectOptions(new NetAddress("127.0.0.1", 0),
                MemoryPair.serverOptions(TLSProtocol.TLSv13))));
        int port = Await.result(server.getLocalAddress()).port();
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-tls1_3", "-CAfile", files.caFile(), "-verify_ip", "127.0.0.1", "-verify_return_error")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            String sent;
            try (OutputStream in = client.getOutputStream()) {
                sent = writeBlocks(in);
            }
            assertThat(received.get(120, TimeUnit.SECONDS)).isEqualTo(sent + " after " + TOTAL + " bytes");
        }
        finally {
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            server.close();
        }
    }

    /** Sends the blocks with at most {@link #WINDOW} sends in flight; returns their digest. */
    private static String sendBlocks(TLSSocket socket) throws Exception {
        MessageDigest digest = sha256();
        Semaphore window = new Semaphore(WINDOW);
        CompletableFuture<Void> failed = new CompletableFuture<>();
        for (long index = 0; index < TOTAL / BLOCK; index++) {
            byte[] block = block(index);
            digest.update(block);
            assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).as("a send completed within 30 s").isTrue();
            socket.send(block).whenComplete((done, error) -> {
                window.release();
                if (error != null) {
                    failed.completeExceptionally(error);
                }
            });
            if (failed.isCompletedExceptionally()) {
                Await.result(failed);
            }
        }
        assertThat(window.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)).as("every send completed").isTrue();
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String writeBlocks(OutputStream out) throws IOException {
        MessageDigest digest = sha256();
        for (long index = 0; index < TOTAL / BLOCK; index++) {
            byte[] block = block(index);
            digest.update(block);
            out.write(block);
        }
        out.flush();
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Block {@code index} of the stream: its own seed, so that no two blocks are alike. */
    private static byte[] block(long index) {
        byte[] block = new byte[BLOCK];
        new SplittableRandom(0x5eed_0000L + index).nextBytes(block);
        return block;
    }

    private static String digestOf(InputStream in, long total) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BLOCK];
        long remaining = total;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("s_server's output ended " + remaining + " bytes short");
            }
            digest.update(buffer, 0, read);
            remaining -= read;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Reads lines (byte by byte, not buffering past them) until one matches. */
    private static String skipUntil(InputStream in, java.util.function.Predicate<String> wanted) throws IOException {
        List<String> skipped = new java.util.ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int next;
        while ((next = in.read()) >= 0) {
            if (next != '\n') {
                line.write(next);
                continue;
            }
            String text = line.toString(StandardCharsets.UTF_8).strip();
            if (wanted.test(text)) {
                return text;
            }
            skipped.add(text);
            line.reset();
        }
        throw new IOException("openssl's output ended; it printed " + skipped);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
