package dev.netstack.socket.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A {@link TCPSocketServer} of the engine with the engine's own client, and plain JDK sockets as peers where the
 * client must not be ours: listen, accept, echo, state, close, and the connection's methods in both forms.
 */
@Timeout(30)
class TcpServerTests {

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(2).build());

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    private NetAddress listen(TCPSocketServer server) throws Exception {
        Await.result(server.listen(new NetAddress("127.0.0.1", 0)));
        return Await.result(server.getLocalAddress());
    }

    private static void echo(TCPSocketConnection connection) {
        connection.on(SocketEventType.MESSAGE, message -> connection.send(new TCPSendOptions(message.bytes())));
    }

    @Test
    void echoesWhatItsOwnClientSends() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, TcpServerTests::echo);
        NetAddress address = listen(server);
        TCPSocket client = this.factory.constructTCPSocketInstance();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.on(SocketEventType.MESSAGE, message -> received.add(message.text()));
        Await.result(client.connect(new TCPConnectOptions(address)));
        Await.result(client.send(new TCPSendOptions("hello")));
        StringBuilder all = new StringBuilder();
        while (all.length() < 5) {
            all.append(received.poll(10, TimeUnit.SECONDS));
        }
        assertThat(all).hasToString("hello");
    }

    @Test
    void connectionKnowsItsAddressesAndIdBothForms() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        CompletableFuture<TCPSocketConnection> accepted = new CompletableFuture<>();
        server.on(TCPSocketServer.CONNECT, accepted::complete);
        NetAddress address = listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = accepted.get(10, TimeUnit.SECONDS);
            assertThat(connection.clientId()).isPositive();
            assertThat(Await.result(connection.getRemoteAddress()))
                .isEqualTo(new NetAddress("127.0.0.1", peer.getLocalPort(), NetAddress.IPV4));
            assertThat(Await.result(Await.<NetAddress>callback(connection::getRemoteAddress)).port())
                .isEqualTo(peer.getLocalPort());
            assertThat(Await.result(connection.getLocalAddress()).port()).isEqualTo(address.port());
            assertThat(Await.result(Await.<NetAddress>callback(connection::getLocalAddress)).port())
                .isEqualTo(address.port());
            assertThat(Await.result(connection.getState())).isEqualTo(new SocketStateBase(true, false, true));
            assertThat(Await.result(Await.<SocketStateBase>callback(connection::getState)).isConnected()).isTrue();
        }
    }

    @Test
    void readsNothingUntilAMessageCallbackExistsAndLosesNothing() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        CompletableFuture<TCPSocketConnection> accepted = new CompletableFuture<>();
        server.on(TCPSocketServer.CONNECT, accepted::complete);
        NetAddress address = listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            OutputStream out = peer.getOutputStream();
            out.write("early bytes".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            TCPSocketConnection connection = accepted.get(10, TimeUnit.SECONDS);
            // The bytes wait in the kernel: nobody can receive them yet.
            await().during(java.time.Duration.ofMillis(200)).until(() -> true);
            StringBuffer received = new StringBuffer();
            connection.on(SocketEventType.MESSAGE, message -> received.append(message.text()));
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.toString().equals("early bytes"));
        }
    }

    @Test
    void stateFollowsListeningConnectionsAndClose() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        assertThat(Await.result(server.getState())).isEqualTo(new SocketStateBase(false, false, false));
        CompletableFuture<TCPSocketConnection> accepted = new CompletableFuture<>();
        server.on(TCPSocketServer.CONNECT, accepted::complete);
        NetAddress address = listen(server);
        assertThat(Await.result(server.getState())).isEqualTo(new SocketStateBase(true, false, false));
        Socket peer = new Socket("127.0.0.1", address.port());
        TCPSocketConnection connection = accepted.get(10, TimeUnit.SECONDS);
        assertThat(Await.result(server.getState()).isConnected()).isTrue();
        Await.result(connection.close());
        await().atMost(10, TimeUnit.SECONDS).until(() -> !Await.result(server.getState()).isConnected());
        peer.close();
        Await.result(server.close());
        assertThat(Await.result(Await.<SocketStateBase>callback(server::getState)))
            .isEqualTo(new SocketStateBase(false, true, false));
    }

    @Test
    void closeFreesThePortAndKeepsConnectionsOpen() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        CompletableFuture<TCPSocketConnection> accepted = new CompletableFuture<>();
        server.on(TCPSocketServer.CONNECT, accepted::complete);
        NetAddress address = listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = accepted.get(10, TimeUnit.SECONDS);
            Await.result(Await.<Void>callback(server::close));
            TCPSocketServer again = this.factory.constructTCPSocketServerInstance();
            Await.result(again.listen(new NetAddress("127.0.0.1", address.port())));
            Await.result(connection.send(new TCPSendOptions("still open\n")));
            byte[] line = new byte[11];
            InputStream in = peer.getInputStream();
            int read = 0;
            while (read < line.length) {
                read += in.read(line, read, line.length - read);
            }
            assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("still open\n");
        }
    }

    @Test
    void clientIdsCountFromOneAndAreNeverReused() throws Exception {
        TCPSocketServer first = this.factory.constructTCPSocketServerInstance();
        TCPSocketServer second = this.factory.constructTCPSocketServerInstance();
        List<Integer> ids = new CopyOnWriteArrayList<>();
        first.on(TCPSocketServer.CONNECT, connection -> ids.add(connection.clientId()));
        second.on(TCPSocketServer.CONNECT, connection -> ids.add(connection.clientId()));
        NetAddress a = listen(first);
        NetAddress b = listen(second);
        for (int i = 0; i < 3; i++) {
            new Socket("127.0.0.1", a.port()).close();
            new Socket("127.0.0.1", b.port()).close();
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> ids.size() == 6);
        assertThat(ids).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    }

    @Test
    void optionsSetBeforeListenReachEveryConnection() throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        TCPExtraOptions options = new TCPExtraOptions();
        options.setTCPNoDelay(true);
        options.setKeepAlive(true);
        Await.result(server.setExtraOptions(options));
        CompletableFuture<TCPSocketConnection> accepted = new CompletableFuture<>();
        server.on(TCPSocketServer.CONNECT, accepted::complete);
        NetAddress address = listen(server);
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            TCPSocketConnection connection = accepted.get(10, TimeUnit.SECONDS);
            var effective = Await.result(((dev.netstack.socket.nio.NioSocket) connection).effectiveOptions());
            assertThat(effective).containsEntry("TCPNoDelay", true).containsEntry("keepAlive", true);
            TCPExtraOptions later = new TCPExtraOptions();
            later.setKeepAlive(false);
            Await.result(Await.<Void>callback(callback -> server.setExtraOptions(later, callback)));
            assertThat(Await.result(((dev.netstack.socket.nio.NioSocket) connection).effectiveOptions()))
                .containsEntry("keepAlive", false);
        }
    }

    @Test
    void serverEmitsOnlyConnectAndError() {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        assertThatThrownBy(() -> server.on(SocketEventType.MESSAGE, message -> {
        })).isInstanceOfSatisfying(BusinessError.class, error -> {
            assertThat(error.getCode()).isEqualTo(401);
            assertThat(error).hasMessageContaining("'message'");
        });
        assertThatThrownBy(() -> server.on(SocketEventType.CONNECT, nothing -> {
        })).isInstanceOf(BusinessError.class);
        server.on(SocketEventType.ERROR, error -> {
        });
        server.off(SocketEventType.ERROR);
    }

}
