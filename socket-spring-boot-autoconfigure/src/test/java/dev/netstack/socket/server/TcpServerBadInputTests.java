package dev.netstack.socket.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.server.ServerPeers.Form;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and calls in the wrong state for {@code listen} and the other methods of a server and of its
 * connections, table-driven, each in both forms: the code of DESIGN.md and a message that names the value. None
 * throws (but a {@code null} callback, which has nowhere else to go); none leaves a descriptor open.
 */
@Timeout(60)
class TcpServerBadInputTests {

    /** The send queue limit of this test's factory: small, so that one send can pass it. */
    private static final int QUEUE_LIMIT = 64 * 1024;

    /** A port that a plain JDK listener holds for the whole class: listen there is "address in use". */
    private static final ServerSocket TAKEN = open();

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder()
        .ioThreads(1)
        .sendQueueLimit(QUEUE_LIMIT)
        .threadNamePrefix("socket-io-TcpServerBadInputTests-")
        .build());

    /** What a case is called on, brought into a state first. */
    enum Setup {
        FRESH_SERVER, LISTENING_SERVER, CLOSED_SERVER, OPEN_CONNECTION, CLOSED_CONNECTION, CONNECTION_ENDED_BY_PEER
    }

    /** A server, and for the connection setups one of its connections with the JDK peer at the other end. */
    record Subject(TCPSocketServer server, TCPSocketConnection connection, Socket peer) {

        void close() throws Exception {
            if (this.connection != null) {
                Await.result(this.connection.close());
            }
            Await.result(this.server.close());
            if (this.peer != null) {
                this.peer.close();
            }
        }

    }

    record Case(Setup setup, String text, Function<Subject, CompletableFuture<?>> promise,
            BiConsumer<Subject, AsyncCallback<Object>> callback, int code, String mentions) {

        CompletableFuture<?> call(Subject subject, Form form) {
            return (form == Form.PROMISE) ? this.promise.apply(subject)
                    : Await.<Object>callback(callback -> this.callback.accept(subject, callback));
        }

        @Override
        public String toString() {
            return this.text + " on a " + this.setup.name().toLowerCase().replace('_', ' ') + " -> " + this.code;
        }

    }

    @SuppressWarnings("unchecked")
    private static <T> AsyncCallback<T> cast(AsyncCallback<Object> callback) {
        return (AsyncCallback<T>) (AsyncCallback<?>) callback;
    }

    private static Case listen(Setup setup, NetAddress address, int code, String mentions) {
        return new Case(setup, "listen(" + address + ")", subject -> subject.server().listen(address),
                (subject, callback) -> subject.server().listen(address, cast(callback)), code, mentions);
    }

    private static Case setExtraOptions(Setup setup, TCPExtraOptions options, int code, String mentions) {
        return new Case(setup, "setExtraOptions(" + options + ")",
                subject -> subject.server().setExtraOptions(options),
                (subject, callback) -> subject.server().setExtraOptions(options, cast(callback)), code, mentions);
    }

    private static Case serverLocalAddress(Setup setup, int code, String mentions) {
        return new Case(setup, "server.getLocalAddress()", subject -> subject.server().getLocalAddress(),
                (subject, callback) -> subject.server().getLocalAddress(cast(callback)), code, mentions);
    }

    private static Case send(Setup setup, TCPSendOptions options, int code, String mentions) {
        return new Case(setup, "send(" + options + ")", subject -> subject.connection().send(options),
                (subject, callback) -> subject.connection().send(options, cast(callback)), code, mentions);
    }

    private static Case remoteAddress(Setup setup, int code, String mentions) {
        return new Case(setup, "getRemoteAddress()", subject -> subject.connection().getRemoteAddress(),
                (subject, callback) -> subject.connection().getRemoteAddress(cast(callback)), code, mentions);
    }

    private static Case connectionLocalAddress(Setup setup, int code, String mentions) {
        return new Case(setup, "connection.getLocalAddress()", subject -> subject.connection().getLocalAddress(),
                (subject, callback) -> subject.connection().getLocalAddress(cast(callback)), code, mentions);
    }

    private static TCPExtraOptions options(java.util.function.Consumer<TCPExtraOptions> setter) {
        TCPExtraOptions options = new TCPExtraOptions();
        setter.accept(options);
        return options;
    }

    static List<Case> cases() {
        int p401 = BusinessError.PARAMETER_ERROR;
        int closed = BusinessError.NOT_BOUND;
        Setup fresh = Setup.FRESH_SERVER;
        List<Case> cases = new ArrayList<>();
        // listen: the address
        cases.add(listen(fresh, null, p401, "address must not be null"));
        cases.add(listen(fresh, new NetAddress(null, 0, NetAddress.IPV4), p401, "address must not be null"));
        cases.add(listen(fresh, new NetAddress("127.0.0.1", 70000), p401, "port 70000"));
        cases.add(listen(fresh, new NetAddress("127.0.0.1", -1), p401, "port -1"));
        cases.add(listen(fresh, new NetAddress("127.0.0.1", 0, 3), p401, "family 3"));
        cases.add(listen(fresh, new NetAddress("::1", 0, NetAddress.IPV4), p401, "'::1'"));
        cases.add(listen(fresh, new NetAddress("127.0.0.1", 0, NetAddress.IPV6), p401, "'127.0.0.1'"));
        cases.add(listen(fresh, new NetAddress("256.0.0.1", 0), p401, "'256.0.0.1'"));
        cases.add(listen(fresh, new NetAddress("", 0), p401, "address ''"));
        cases.add(listen(fresh, new NetAddress("bad host!", 0), p401, "'bad host!'"));
        // A host name is refused before any look-up: listen never asks DNS.
        cases.add(listen(fresh, new NetAddress("server.example.invalid", 0), p401,
                "'server.example.invalid' is a host name"));
        // listen: the system's answers
        cases.add(listen(fresh, new NetAddress("127.0.0.1", TAKEN.getLocalPort()), BusinessError.SERVER_ADDRESS_IN_USE,
                "127.0.0.1:" + TAKEN.getLocalPort()));
        // TEST-NET-1 (RFC 5737) is no address of this host; a bind there sends nothing.
        cases.add(listen(fresh, new NetAddress("192.0.2.1", 0), BusinessError.SERVER_ADDRESS_NOT_AVAILABLE,
                "192.0.2.1"));
        cases.add(listen(Setup.LISTENING_SERVER, new NetAddress("127.0.0.1", 0), BusinessError.SERVER_ALREADY_LISTENING,
                "already listening on 127.0.0.1:"));
        cases.add(listen(Setup.CLOSED_SERVER, new NetAddress("127.0.0.1", 0), BusinessError.SERVER_CLOSED, "closed"));
        // the server's other methods
        cases.add(setExtraOptions(fresh, null, p401, "options must not be null"));
        cases.add(setExtraOptions(fresh, options(o -> o.setReceiveBufferSize(-1)), p401, "receiveBufferSize -1"));
        cases.add(setExtraOptions(Setup.LISTENING_SERVER, options(o -> o.setSocketTimeout(-3)), p401,
                "socketTimeout -3"));
        cases.add(setExtraOptions(Setup.CLOSED_SERVER, options(o -> o.setKeepAlive(true)), closed, "closed"));
        cases.add(serverLocalAddress(fresh, closed, "listen()"));
        cases.add(serverLocalAddress(Setup.CLOSED_SERVER, closed, "closed"));
        // the connection's methods
        Setup open = Setup.OPEN_CONNECTION;
        cases.add(send(open, null, p401, "options must not be null"));
        cases.add(send(open, new TCPSendOptions(null), p401, "data must not be null"));
        cases.add(send(open, new TCPSendOptions(42), p401, "java.lang.Integer"));
        cases.add(send(open, new TCPSendOptions("x", "EBCDIC"), p401, "'EBCDIC'"));
        cases.add(send(open, new TCPSendOptions("x", ""), p401, "encoding ''"));
        cases.add(send(open, new TCPSendOptions(new byte[QUEUE_LIMIT + 1]), BusinessError.NO_BUFFER_SPACE,
                (QUEUE_LIMIT + 1) + " bytes is larger than the send queue limit of " + QUEUE_LIMIT + " bytes"));
        for (Setup ended : List.of(Setup.CLOSED_CONNECTION, Setup.CONNECTION_ENDED_BY_PEER)) {
            cases.add(send(ended, new TCPSendOptions("x"), closed, "closed"));
            cases.add(remoteAddress(ended, closed, "closed"));
            cases.add(connectionLocalAddress(ended, closed, "closed"));
        }
        return cases;
    }

    static Stream<Arguments> casesInBothForms() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, Form.PROMISE), Arguments.of(c, Form.CALLBACK)));
    }

    private static ServerSocket open() {
        try {
            return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @AfterAll
    static void releasePort() throws IOException {
        TAKEN.close();
    }

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    private Subject subjectIn(Setup setup) throws Exception {
        TCPSocketServer server = this.factory.constructTCPSocketServerInstance();
        if (setup == Setup.FRESH_SERVER) {
            return new Subject(server, null, null);
        }
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        if (setup == Setup.LISTENING_SERVER) {
            return new Subject(server, null, null);
        }
        if (setup == Setup.CLOSED_SERVER) {
            Await.result(server.close());
            return new Subject(server, null, null);
        }
        Socket peer = new Socket("127.0.0.1", address.port());
        TCPSocketConnection connection = ServerPeers.next(accepted);
        if (setup == Setup.CLOSED_CONNECTION) {
            Await.result(connection.close());
        }
        else if (setup == Setup.CONNECTION_ENDED_BY_PEER) {
            EventLog log = ServerPeers.log(connection);
            peer.shutdownOutput();
            assertThat(log.nextNonMessage()).isEqualTo("close");
        }
        return new Subject(server, connection, peer);
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesInBothForms")
    void failsWithTheCodeAndAMessageNamingTheValue(Case c, Form form) throws Exception {
        Subject subject = subjectIn(c.setup());
        BusinessError error = Await.failure(c.call(subject, form));
        assertThat(error.getCode()).as(error.getMessage()).isEqualTo(c.code());
        assertThat(error.getMessage()).contains(c.mentions());
        subject.close();
    }

    @Test
    void aNullCallbackIsAParameterErrorThrownAtOnce() throws Exception {
        Subject subject = subjectIn(Setup.OPEN_CONNECTION);
        TCPSocketServer server = subject.server();
        TCPSocketConnection connection = subject.connection();
        List<Runnable> calls = List.of(() -> server.listen(new NetAddress("127.0.0.1", 0), null),
                () -> server.close(null), () -> server.getState(null), () -> server.getLocalAddress(null),
                () -> server.setExtraOptions(new TCPExtraOptions(), null),
                () -> connection.send(new TCPSendOptions("x"), null), () -> connection.close(null),
                () -> connection.getState(null), () -> connection.getLocalAddress(null),
                () -> connection.getRemoteAddress(null), () -> server.on(TCPSocketServer.CONNECT, null),
                () -> server.off(SocketEventType.ERROR, null), () -> connection.on(SocketEventType.MESSAGE, null),
                () -> connection.off(SocketEventType.CLOSE, null));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
                .hasMessageContaining("callback must not be null");
        }
        for (Runnable call : List.<Runnable>of(() -> server.on(null, nothing -> {
        }), () -> server.off(null), () -> connection.on(null, nothing -> {
        }), () -> connection.off(null))) {
            assertThatThrownBy(call::run).isInstanceOf(BusinessError.class)
                .hasMessageContaining("event type must not be null");
        }
        subject.close();
    }

    /**
     * The whole table once more, each server, connection and peer closed after its case: afterwards the process
     * holds no more descriptors than before. A first pass warms up what the JDK opens lazily, so that only leaks
     * count.
     */
    @Test
    void theWholeTableLeavesNoDescriptorOpen() throws Exception {
        Assumptions.assumeTrue(ServerPeers.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        List<Arguments> all = casesInBothForms().toList();
        runAndClose(all);
        long before = ServerPeers.descriptors();
        runAndClose(all);
        await().atMost(Duration.ofSeconds(Await.SECONDS))
            .untilAsserted(() -> assertThat(ServerPeers.descriptors()).as("open descriptors after %d cases", all.size())
                .isLessThanOrEqualTo(before));
    }

    private void runAndClose(List<Arguments> cases) throws Exception {
        for (Arguments arguments : cases) {
            Case c = (Case) arguments.get()[0];
            Subject subject = subjectIn(c.setup());
            assertThat(Await.failure(c.call(subject, (Form) arguments.get()[1])).getCode()).isEqualTo(c.code());
            subject.close();
        }
    }

}
