package dev.netstack.socket.local;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.hygiene.ProcessCounts;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.server.Factories;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.netstack.socket.tcp.Await.failure;
import static dev.netstack.socket.tcp.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input table of local sockets: each path and call that must fail, with its code and a message that names
 * the value, for listen, bind and connect, in both forms.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalBadInputTests {

    @RegisterExtension
    final Factories factories = new Factories(LocalBadInputTests.class);

    @TempDir
    Path dir;

    private NioSocketFactory factory;

    @BeforeEach
    void startFactory() {
        this.factory = this.factories.make();
    }

    @Test
    void anEmptyPathIsAParameterError() throws Exception {
        assertListenBindConnect("", BusinessError.PARAMETER_ERROR, BusinessError.PARAMETER_ERROR, "''");
        BusinessError missing = failure(this.factory.constructLocalSocketInstance().bind(new LocalAddress(null)));
        assertThat(missing.getCode()).isEqualTo(401);
    }

    @Test
    void aPathLongerThan106BytesIsAParameterErrorAnd106BytesFit() throws Exception {
        String base = this.dir.toString() + "/";
        String fits = base + "x".repeat(106 - base.getBytes(StandardCharsets.UTF_8).length);
        String tooLong = fits + "y";
        assertListenBindConnect(tooLong, BusinessError.PARAMETER_ERROR, BusinessError.PARAMETER_ERROR, "107 bytes");
        LocalSocketServer server = this.factory.constructLocalSocketServerInstance();
        result(server.listen(new LocalAddress(fits)));
        LocalSocket client = this.factory.constructLocalSocketInstance();
        result(client.connect(new LocalConnectOptions(new LocalAddress(fits))));
    }

    @Test
    void aDirectoryIsNeverTakenOrReached() throws Exception {
        Path directory = Files.createDirectory(this.dir.resolve("a-directory"));
        assertListenBindConnect(directory.toString(), BusinessError.ADDRESS_IN_USE, BusinessError.CONNECTION_REFUSED,
                directory.toString());
        assertThat(directory).isDirectory();
    }

    @Test
    void aRegularFileIsNeverDeletedOrReached() throws Exception {
        Path file = this.dir.resolve("notes.txt");
        Files.writeString(file, "keep me");
        assertListenBindConnect(file.toString(), BusinessError.ADDRESS_IN_USE, BusinessError.CONNECTION_REFUSED,
                file.toString());
        assertThat(file).hasContent("keep me");
    }

    @Test
    void aMissingDirectoryIsNoSuchFile() throws Exception {
        String path = this.dir.resolve("missing/server.sock").toString();
        assertListenBindConnect(path, BusinessError.NO_SUCH_FILE, BusinessError.NO_SUCH_FILE, path);
    }

    @Test
    void aDirectoryWithoutPermissionIsAccessDenied() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "skipped: running as root, which the kernel lets through any permission");
        Path locked = Files.createDirectory(this.dir.resolve("locked"));
        Path live = locked.resolve("live.sock");
        LocalServers.echo(this.factory, live.toString());
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r--r--r--"));
        try {
            String path = locked.resolve("server.sock").toString();
            BusinessError listen = failure(this.factory.constructLocalSocketServerInstance()
                .listen(new LocalAddress(path)));
            assertThat(listen.getCode()).isEqualTo(BusinessError.ACCESS_DENIED);
            BusinessError connect = failure(this.factory.constructLocalSocketInstance()
                .connect(new LocalConnectOptions(new LocalAddress(live.toString()))));
            assertThat(connect.getCode()).isEqualTo(BusinessError.ACCESS_DENIED);
        }
        finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void sendsBeforeConnectAndAfterCloseFailInBothForms() throws Exception {
        LocalSocket client = this.factory.constructLocalSocketInstance();
        BusinessError early = failure(client.send(new LocalSendOptions("early")));
        assertThat(early.getCode()).isEqualTo(BusinessError.NOT_CONNECTED);
        assertThat(early.getMessage()).contains("connect()");
        BusinessError earlyCallback = failure(Await.<Void>callback(done -> client.send(new LocalSendOptions("x"), done)));
        assertThat(earlyCallback.getCode()).isEqualTo(BusinessError.NOT_CONNECTED);
        result(client.close());
        assertThat(failure(client.send(new LocalSendOptions("late"))).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(failure(Await.<Void>callback(done -> client.send(new LocalSendOptions("late"), done))).getCode())
            .isEqualTo(BusinessError.NOT_BOUND);
    }

    @Test
    void badOptionsAreParameterErrorsThatNameTheValue() throws Exception {
        LocalSocket client = this.factory.constructLocalSocketInstance();
        String path = this.dir.resolve("server.sock").toString();
        BusinessError timeout = failure(client.connect(new LocalConnectOptions(new LocalAddress(path), -5)));
        assertThat(timeout.getCode()).isEqualTo(401);
        assertThat(timeout.getMessage()).contains("-5");
        assertThat(failure(client.connect(null)).getCode()).isEqualTo(401);
        assertThat(failure(client.send(null)).getCode()).isEqualTo(401);
        LocalServers.echo(this.factory, path);
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        BusinessError encoding = failure(client.send(new LocalSendOptions("x", "EBCDIC")));
        assertThat(encoding.getCode()).isEqualTo(401);
        assertThat(encoding.getMessage()).contains("EBCDIC");
        BusinessError again = failure(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        assertThat(again.getCode()).isEqualTo(BusinessError.ALREADY_CONNECTED);
    }

    @Test
    void aServerWhoseBacklogIsFullRefusesAConnectAtOnceWith2301011() throws Exception {
        // A server this project did not write, which never accepts: the JDK's, with a backlog of one.
        Path path = this.dir.resolve("busy.sock");
        long descriptors = ProcessCounts.descriptorsCountable() ? ProcessCounts.descriptors() : 0;
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel busy = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            busy.bind(UnixDomainSocketAddress.of(path), 1);
            fillBacklog(path, queued);
            LocalConnectOptions options = new LocalConnectOptions(new LocalAddress(path.toString()), 5000);
            LocalSocket socket = this.factory.constructLocalSocketInstance();
            long started = System.nanoTime();
            BusinessError future = failure(socket.connect(options));
            BusinessError callback = failure(Await.<Void>callback(done -> socket.connect(options, done)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the timeout")
                .isLessThan(Duration.ofSeconds(4));
            for (BusinessError error : List.of(future, callback)) {
                assertThat(error.getCode()).isEqualTo(BusinessError.WOULD_BLOCK);
                assertThat(error.getMessage()).contains(path.toString());
            }
            assertThat(this.factory.stats().of(Protocol.LOCAL).errors(BusinessError.WOULD_BLOCK)).isEqualTo(2);
            result(socket.close());
        }
        finally {
            for (SocketChannel channel : queued) {
                channel.close();
            }
        }
        this.factory.close();
        if (ProcessCounts.descriptorsCountable()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessCounts.descriptors() <= descriptors);
        }
    }

    /** Connects plain JDK clients until the kernel refuses one: the backlog is full then. */
    private static void fillBacklog(Path path, List<SocketChannel> queued) throws IOException {
        while (true) {
            assertThat(queued).as("the backlog of one filled").hasSizeLessThan(16);
            SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.configureBlocking(false);
            try {
                client.connect(UnixDomainSocketAddress.of(path));
                queued.add(client);
            }
            catch (IOException full) {
                client.close();
                return;
            }
        }
    }

    /**
     * Listens (future form), binds (callback form) and connects (callback form) on {@code path}: each fails with
     * its code and names the value.
     */
    private void assertListenBindConnect(String path, int listenAndBindCode, int connectCode, String named)
            throws Exception {
        LocalSocketServer server = this.factory.constructLocalSocketServerInstance();
        BusinessError listen = failure(server.listen(new LocalAddress(path)));
        assertThat(listen.getCode()).as("listen").isEqualTo(listenAndBindCode);
        assertThat(listen.getMessage()).contains(named);
        LocalSocket socket = this.factory.constructLocalSocketInstance();
        CompletableFuture<Void> bind = Await.callback(done -> socket.bind(new LocalAddress(path), done));
        BusinessError bound = failure(bind);
        assertThat(bound.getCode()).as("bind").isEqualTo(listenAndBindCode);
        assertThat(bound.getMessage()).contains(named);
        CompletableFuture<Void> connect = Await
            .callback(done -> socket.connect(new LocalConnectOptions(new LocalAddress(path), 1000), done));
        BusinessError connected = failure(connect);
        assertThat(connected.getCode()).as("connect").isEqualTo(connectCode);
        assertThat(connected.getMessage()).contains(named);
    }

}
