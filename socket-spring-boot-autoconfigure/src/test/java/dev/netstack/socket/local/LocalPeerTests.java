package dev.netstack.socket.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.server.Factories;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.netstack.socket.tcp.Await.failure;
import static dev.netstack.socket.tcp.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local sockets against peers this project did not write, both directions: socat's {@code UNIX-LISTEN} and
 * {@code UNIX-CONNECT}, and Node.js {@code net} with a path. Each exchange is checked byte for byte.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalPeerTests {

    private static final Path NODE_SCRIPT = Path.of("src/test/node/local-peer.js");

    private static final String TEXT = "local stream: ünïcödé and a long tail " + "0123456789".repeat(3000);

    @RegisterExtension
    final Factories factories = new Factories(LocalPeerTests.class);

    @TempDir
    Path dir;

    @Test
    void ourClientTalksToSocatListeningAndCannotTakeItsPath() throws Exception {
        assumeOnPath("socat");
        NioSocketFactory factory = this.factories.make();
        Path path = this.dir.resolve("socat.sock");
        Process socat = new ProcessBuilder("socat", "UNIX-LISTEN:" + path + ",fork", "PIPE").start();
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> Files.exists(path));
            LocalSocket client = factory.constructLocalSocketInstance();
            Inbox inbox = new Inbox(client);
            result(client.connect(new LocalConnectOptions(new LocalAddress(path.toString()), 5000)));
            result(client.send(new LocalSendOptions(TEXT)));
            assertThat(inbox.awaitText(TEXT)).isEqualTo(TEXT);
            assertThat(inbox.addresses()).containsOnly(path.toString());
            BusinessError inUse = failure(factory.constructLocalSocketServerInstance()
                .listen(new LocalAddress(path.toString())));
            assertThat(inUse.getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
            assertThat(path).exists();
            result(client.close());
        }
        finally {
            socat.destroy();
            socat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void socatConnectingIsEchoedByOurServer() throws Exception {
        assumeOnPath("socat");
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("server.sock").toString();
        LocalServers.echo(factory, path);
        Process socat = new ProcessBuilder("socat", "-t", "5", "-", "UNIX-CONNECT:" + path).start();
        byte[] sent = TEXT.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(socat));
        try (OutputStream stdin = socat.getOutputStream()) {
            stdin.write(sent);
        }
        assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
        assertThat(socat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(socat.exitValue()).isZero();
    }

    @Test
    void ourClientTalksToNodeListeningOnAPath() throws Exception {
        assumeOnPath("node");
        NioSocketFactory factory = this.factories.make();
        Path path = this.dir.resolve("node.sock");
        Process node = new ProcessBuilder("node", NODE_SCRIPT.toString(), "echo", path.toString()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("listening path=" + path);
            LocalSocket client = factory.constructLocalSocketInstance();
            Inbox inbox = new Inbox(client);
            result(client.connect(new LocalConnectOptions(new LocalAddress(path.toString()))));
            result(client.send(new LocalSendOptions(TEXT)));
            assertThat(inbox.awaitText(TEXT)).isEqualTo(TEXT);
            result(client.close());
            assertThat(out.readLine()).isEqualTo("end bytes=" + TEXT.getBytes(StandardCharsets.UTF_8).length);
        }
        finally {
            node.getOutputStream().close();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroy();
            }
        }
    }

    @Test
    void nodeConnectingToAPathIsEchoedByOurServer() throws Exception {
        assumeOnPath("node");
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("ours.sock").toString();
        LocalServers.echo(factory, path);
        Process node = new ProcessBuilder("node", NODE_SCRIPT.toString(), "send", path, TEXT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine())
                .isEqualTo("received hex=" + HexFormat.of().formatHex(TEXT.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
    }

    private static byte[] readAll(Process process) {
        try {
            return process.getInputStream().readAllBytes();
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void assumeOnPath(String command) throws InterruptedException {
        boolean found;
        try {
            found = new ProcessBuilder("which", command).start().waitFor() == 0;
        }
        catch (IOException ex) {
            found = false;
        }
        Assumptions.assumeTrue(found, "skipped: " + command + " is not installed");
    }

}
