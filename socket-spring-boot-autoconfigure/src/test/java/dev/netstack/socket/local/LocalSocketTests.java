package dev.netstack.socket.local;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.Framing;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketConnection;
import dev.netstack.socket.LocalSocketMessageInfo;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.server.Factories;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.netstack.socket.tcp.Await.failure;
import static dev.netstack.socket.tcp.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The project's own local client against its own local server: bind, listen, connect, send, messages with the
 * path, options read back, state, and the socket files that listen and close make and remove.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSocketTests {

    @RegisterExtension
    final Factories factories = new Factories(LocalSocketTests.class);

    @TempDir
    Path dir;

    @Test
    void clientAndConnectionEchoEachOtherWithPathsInMessagesInBothForms() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("echo.sock").toString();
        LocalServers.Echo echo = LocalServers.echo(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        Inbox inbox = new Inbox(client);
        List<String> events = new CopyOnWriteArrayList<>();
        client.on(SocketEventType.CONNECT, nothing -> events.add("connect"));
        result(Await.<Void>callback(done -> client.connect(new LocalConnectOptions(new LocalAddress(path), 2000), done)));
        assertThat(events).containsExactly("connect");
        result(client.send(new LocalSendOptions("hello ")));
        result(Await.<Void>callback(done -> client.send(new LocalSendOptions("wörld".getBytes(StandardCharsets.UTF_8)), done)));
        assertThat(inbox.awaitText("hello wörld")).isEqualTo("hello wörld");
        assertThat(inbox.addresses()).containsOnly(path);
        assertThat(echo.addresses()).containsOnly(path);
        assertThat(result(echo.connection().getLocalAddress())).isEqualTo(path);
        assertThat(result(Await.<String>callback(echo.connection()::getLocalAddress))).isEqualTo(path);
        assertThat(result(client.getState())).isEqualTo(new SocketStateBase(true, false, true));
        assertThat(result(Await.<SocketStateBase>callback(echo.server()::getState))).isEqualTo(new SocketStateBase(true, false, true));
        assertThat(echo.connection().clientId()).isPositive();
    }

    @Test
    void encodingsAreHonouredAndSendsArriveInCallOrder() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("order.sock").toString();
        LocalServers.Echo echo = LocalServers.echo(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        Inbox inbox = new Inbox(client);
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        result(client.send(new LocalSendOptions("é", "UTF-16LE")));
        assertThat(inbox.awaitBytes(2)).startsWith((byte) 0xe9, (byte) 0x00);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] part = ("part " + i + ";").getBytes(StandardCharsets.US_ASCII);
            expected.writeBytes(part);
            sends.add(client.send(new LocalSendOptions(part)));
        }
        for (CompletableFuture<Void> send : sends) {
            result(send);
        }
        assertThat(inbox.awaitBytes(2 + expected.size())).endsWith(expected.toByteArray());
        assertThat(echo.addresses()).containsOnly(path);
    }

    @Test
    void closeFlushesAcceptedSendsAndRemovesTheBoundFile() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("flush.sock").toString();
        LocalServers.Echo echo = LocalServers.sink(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        String own = this.dir.resolve("client.sock").toString();
        result(client.bind(new LocalAddress(own)));
        assertThat(Path.of(own)).exists();
        assertThat(result(client.getLocalAddress())).isEqualTo(own);
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        byte[] big = new byte[4 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        CompletableFuture<Void> sent = client.send(new LocalSendOptions(big));
        result(client.close());
        result(sent);
        assertThat(echo.awaitReceived(big.length)).isEqualTo(big);
        assertThat(Path.of(own)).doesNotExist();
        assertThat(failure(client.send(new LocalSendOptions("late"))).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(result(client.getState())).isEqualTo(new SocketStateBase(false, true, false));
    }

    @Test
    void extraOptionsAreReadBackFromTheChannel() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("options.sock").toString();
        LocalServers.Echo echo = LocalServers.echo(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        ExtraOptions before = new ExtraOptions();
        before.setSendBufferSize(16384);
        assertThat(failure(client.setExtraOptions(before)).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(failure(client.getExtraOptions()).getCode()).isEqualTo(BusinessError.NOT_BOUND);
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        ExtraOptions options = new ExtraOptions();
        options.setReceiveBufferSize(32768);
        options.setSendBufferSize(16384);
        options.setSocketTimeout(1500);
        options.setReuseAddress(true);
        result(Await.<Void>callback(done -> client.setExtraOptions(options, done)));
        ExtraOptions applied = result(Await.<ExtraOptions>callback(client::getExtraOptions));
        // Linux doubles what is set, for its own bookkeeping: at least the value set is in force.
        assertThat(applied.getReceiveBufferSize()).isGreaterThanOrEqualTo(32768);
        assertThat(applied.getSendBufferSize()).isGreaterThanOrEqualTo(16384);
        assertThat(applied.getSocketTimeout()).isEqualTo(1500);
        assertThat(applied.getReuseAddress()).isFalse();
        ExtraOptions serverOptions = new ExtraOptions();
        serverOptions.setReceiveBufferSize(65536);
        serverOptions.setSendBufferSize(32768);
        result(Await.<Void>callback(done -> echo.server().setExtraOptions(serverOptions, done)));
        assertThat(result(Await.<ExtraOptions>callback(echo.server()::getExtraOptions)).getReceiveBufferSize())
            .isGreaterThanOrEqualTo(65536);
        // The update reaches the open connection too, on its own loop.
        LocalSocketConnection connection = echo.connection();
        assertThat(((dev.netstack.socket.nio.NioLocalSocketConnection) connection).socket().effectiveOptions()
            .get(10, TimeUnit.SECONDS)).extractingByKey("sendBufferSize").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.INTEGER).isGreaterThanOrEqualTo(32768);
    }

    @Test
    void aSendOverTheQueueLimitFailsAtOnceAndTheStreamGoesOn() throws Exception {
        NioSocketFactory factory = this.factories.make(settings -> settings.sendQueueLimit(64 * 1024));
        String path = this.dir.resolve("limit.sock").toString();
        LocalServers.Echo sink = LocalServers.sink(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        result(Await.<Void>callback(done -> client.connect(new LocalConnectOptions(new LocalAddress(path)), done)));
        BusinessError full = failure(client.send(new LocalSendOptions(new byte[128 * 1024])));
        assertThat(full.getCode()).isEqualTo(BusinessError.NO_BUFFER_SPACE);
        result(client.send(new LocalSendOptions("after")));
        assertThat(sink.awaitReceived(5)).asString(StandardCharsets.UTF_8).isEqualTo("after");
    }

    @Test
    void serverCallbackFormsListenAndTellThePath() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("callbacks.sock").toString();
        LocalSocketServer server = factory.constructLocalSocketServerInstance();
        result(Await.<Void>callback(done -> server.listen(new LocalAddress(path), done)));
        assertThat(result(Await.<String>callback(server::getLocalAddress))).isEqualTo(path);
        assertThat(result(Await.<SocketStateBase>callback(server::getState)).isBound()).isTrue();
        result(Await.<Void>callback(server::close));
        assertThat(Path.of(path)).doesNotExist();
    }

    @Test
    void listenReplacesOnlyAStaleSocketFileAndCloseRemovesIt() throws Exception {
        NioSocketFactory factory = this.factories.make();
        Path path = this.dir.resolve("stale.sock");
        // A socket file whose server is gone: a channel bound to it and closed leaves the file behind.
        try (var leftover = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            leftover.bind(java.net.UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
        LocalSocketServer server = factory.constructLocalSocketServerInstance();
        result(server.listen(new LocalAddress(path.toString())));
        LocalSocketServer second = factory.constructLocalSocketServerInstance();
        BusinessError inUse = failure(second.listen(new LocalAddress(path.toString())));
        assertThat(inUse.getCode()).isEqualTo(BusinessError.ADDRESS_IN_USE);
        assertThat(inUse.getMessage()).contains(path.toString());
        assertThat(failure(server.listen(new LocalAddress(path.toString()))).getCode())
            .isEqualTo(BusinessError.SERVER_ALREADY_LISTENING);
        assertThat(result(server.getLocalAddress())).isEqualTo(path.toString());
        result(Await.<Void>callback(server::close));
        assertThat(path).doesNotExist();
        assertThat(result(server.getState())).isEqualTo(new SocketStateBase(false, true, false));
        assertThat(failure(server.listen(new LocalAddress(path.toString()))).getCode())
            .isEqualTo(BusinessError.SERVER_CLOSED);
    }

    @Test
    void factoryCloseRemovesTheFilesOfItsServers() throws Exception {
        NioSocketFactory factory = this.factories.make();
        Path path = this.dir.resolve("factory.sock");
        LocalSocketServer server = factory.constructLocalSocketServerInstance();
        result(server.listen(new LocalAddress(path.toString())));
        assertThat(path).exists();
        factory.close();
        assertThat(path).doesNotExist();
    }

    @Test
    void peerEndClosesTheConnectionAndItsEventsTellIt() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("end.sock").toString();
        LocalServers.Echo echo = LocalServers.echo(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        LocalSocketConnection connection = echo.connection();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        connection.on(SocketEventType.CLOSE, nothing -> closed.complete(null));
        result(client.close());
        result(closed);
        assertThat(result(connection.getState()).isClose()).isTrue();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !result(echo.server().getState()).isConnected());
    }

    @Test
    void theIpMessageTypeIsRefusedOnLocalSockets() {
        NioSocketFactory factory = this.factories.make();
        LocalSocket client = factory.constructLocalSocketInstance();
        LocalSocketServer server = factory.constructLocalSocketServerInstance();
        org.assertj.core.api.Assertions
            .assertThatThrownBy(() -> client.on(SocketEventType.MESSAGE, message -> { }))
            .isInstanceOfSatisfying(BusinessError.class, error -> assertThat(error.getCode()).isEqualTo(401));
        org.assertj.core.api.Assertions
            .assertThatThrownBy(() -> server.on(SocketEventType.CLOSE, nothing -> { }))
            .isInstanceOfSatisfying(BusinessError.class, error -> assertThat(error.getCode()).isEqualTo(401));
        client.on(LocalSocket.MESSAGE, (LocalSocketMessageInfo message) -> { });
        client.off(LocalSocket.MESSAGE);
    }

    /**
     * The server's socket file gets the permissions that the process's umask gives, as a plain JDK bind in the same
     * process does: nothing widens or narrows them.
     */
    @Test
    void theSocketFileHasThePermissionsOfTheUmaskAsAPlainBindMakesThem() throws Exception {
        Path plain = this.dir.resolve("plain.sock");
        try (ServerSocketChannel reference = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            reference.bind(UnixDomainSocketAddress.of(plain));
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
            String path = this.dir.resolve("server.sock").toString();
            LocalSocketServer server = this.factories.make().constructLocalSocketServerInstance();
            result(server.listen(new LocalAddress(path)));
            assertThat(Files.getPosixFilePermissions(Path.of(path))).isEqualTo(expected);
            result(server.close());
        }
        finally {
            Files.deleteIfExists(plain);
        }
    }

    @Test
    void aClientWithLineFramingGetsWholeLinesHoweverTheStreamIsCut() throws Exception {
        NioSocketFactory factory = this.factories.make();
        String path = this.dir.resolve("lines.sock").toString();
        LocalServers.echo(factory, path);
        LocalSocket client = factory.constructLocalSocketInstance();
        client.setFraming(Framing.lines(64));
        List<String> lines = new CopyOnWriteArrayList<>();
        client.on(LocalSocket.MESSAGE, (LocalSocketMessageInfo message) -> lines.add(message.text()));
        result(client.connect(new LocalConnectOptions(new LocalAddress(path))));
        result(client.send(new LocalSendOptions("one\ntw")));
        result(client.send(new LocalSendOptions("o\r\nthree\n")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> lines.size() == 3);
        assertThat(lines).containsExactly("one", "two", "three");
    }

}
