package dev.netstack.socket.tcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.TcpConnectTests.Form;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input and calls in the wrong state, table-driven, each in both forms: the code, and a message that names the
 * value. None of them may throw; they fail through the callback or the future, and leave no descriptor open.
 */
@Timeout(30)
class TcpBadInputTests {

    private static LoopbackServer server;

    /** A listener whose accept queue is full: a connect to it stays in progress, for the CONNECTING cases. */
    private static FullBacklog silent;

    private NioSocketFactory factory;

    /** The state the socket is brought into before the call. */
    enum Setup {
        FRESH, BOUND, CONNECTING, CONNECTED, CLOSED
    }

    /** A call in both forms. */
    record Call(String text, Function<TCPSocket, CompletableFuture<?>> promise,
            BiConsumer<TCPSocket, CompletableFuture<Object>> callback) {

        @Override
        public String toString() {
            return this.text;
        }

    }

    record Case(Setup setup, Call call, int code, String mentions) {

        @Override
        public String toString() {
            return this.call + " when " + this.setup.name().toLowerCase() + " -> " + this.code;
        }

    }

    private static <T> AsyncCallback<T> settling(CompletableFuture<Object> future) {
        return (error, value) -> {
            if (error != null) {
                future.completeExceptionally(error);
            }
            else {
                future.complete(value);
            }
        };
    }

    static Call bind(NetAddress address) {
        return new Call("bind(" + address + ")", socket -> socket.bind(address),
                (socket, future) -> socket.bind(address, settling(future)));
    }

    static Call connect(TCPConnectOptions options) {
        return new Call("connect(" + options + ")", socket -> socket.connect(options),
                (socket, future) -> socket.connect(options, settling(future)));
    }

    static Call connectToServer() {
        return new Call("connect(server)", socket -> socket.connect(new TCPConnectOptions(server.address())),
                (socket, future) -> socket.connect(new TCPConnectOptions(server.address()), settling(future)));
    }

    static Call send(TCPSendOptions options) {
        return new Call("send(" + options + ")", socket -> socket.send(options),
                (socket, future) -> socket.send(options, settling(future)));
    }

    static Call setExtraOptions(TCPExtraOptions options) {
        return new Call("setExtraOptions(" + options + ")", socket -> socket.setExtraOptions(options),
                (socket, future) -> socket.setExtraOptions(options, settling(future)));
    }

    static Call getRemoteAddress() {
        return new Call("getRemoteAddress()", TCPSocket::getRemoteAddress,
                (socket, future) -> socket.getRemoteAddress(settling(future)));
    }

    static Call getLocalAddress() {
        return new Call("getLocalAddress()", TCPSocket::getLocalAddress,
                (socket, future) -> socket.getLocalAddress(settling(future)));
    }

    static TCPExtraOptions options(Consumer<TCPExtraOptions> setter) {
        TCPExtraOptions options = new TCPExtraOptions();
        setter.accept(options);
        return options;
    }

    static List<Case> cases() {
        int p401 = BusinessError.PARAMETER_ERROR;
        List<Case> cases = new ArrayList<>();
        // bind
        cases.add(new Case(Setup.FRESH, bind(null), p401, "address must not be null"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress(null, 0, 1)), p401, "address must not be null"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("127.0.0.1", -1)), p401, "port -1"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("127.0.0.1", 65536)), p401, "port 65536"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("127.0.0.1", 0, 0)), p401, "family 0"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("127.0.0.1", 0, 3)), p401, "family 3"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("::1", 0, 1)), p401, "'::1'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("127.0.0.1", 0, 2)), p401, "'127.0.0.1'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("256.0.0.1", 0)), p401, "'256.0.0.1'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("1.2.3", 0)), p401, "'1.2.3'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("::zz", 0, 2)), p401, "'::zz'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("bad host!", 0)), p401, "'bad host!'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("", 0)), p401, "address ''"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("g::1", 0, 2)), p401, "'g::1'"));
        cases.add(new Case(Setup.FRESH, bind(new NetAddress("example.invalid", 0)), p401,
                "'example.invalid' is a host name"));
        cases.add(new Case(Setup.BOUND, bind(new NetAddress("127.0.0.1", 0)), BusinessError.INVALID_ARGUMENT,
                "already bound to 127.0.0.1:"));
        cases.add(new Case(Setup.CONNECTED, bind(new NetAddress("127.0.0.1", 0)), BusinessError.INVALID_ARGUMENT,
                "already bound to 127.0.0.1:"));
        cases.add(new Case(Setup.CONNECTING, bind(new NetAddress("127.0.0.1", 0)), BusinessError.INVALID_ARGUMENT,
                "bind() must come before connect()"));
        // connect
        cases.add(new Case(Setup.FRESH, connect(null), p401, "options must not be null"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(null)), p401, "address must not be null"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 0))), p401, "port 0"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", -1))), p401, "port -1"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 65536))), p401,
                "port 65536"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 80, 0))), p401,
                "family 0"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 80, 3))), p401,
                "family 3"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("::1", 80, 1))), p401, "'::1'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("999.1.1.1", 80))), p401,
                "'999.1.1.1'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 80), -1)), p401,
                "timeout -1"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 80, 2))), p401,
                "'127.0.0.1'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("::zz", 80, 2))), p401, "'::zz'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("g::1", 80, 2))), p401, "'g::1'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("1.2.3", 80))), p401, "'1.2.3'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("bad host!", 80))), p401,
                "'bad host!'"));
        cases.add(new Case(Setup.FRESH, connect(new TCPConnectOptions(new NetAddress("", 80))), p401, "address ''"));
        cases.add(new Case(Setup.FRESH,
                connect(new TCPConnectOptions(new NetAddress("127.0.0.1", 80), Integer.MIN_VALUE)), p401,
                "timeout " + Integer.MIN_VALUE));
        cases.add(new Case(Setup.BOUND, connect(new TCPConnectOptions(new NetAddress("::1", 80, 2))), p401,
                "[::1]:80 is an IPv6 address but the socket is bound to IPv4"));
        cases.add(new Case(Setup.CONNECTED, connectToServer(), BusinessError.ALREADY_CONNECTED, "already connected"));
        cases.add(new Case(Setup.CONNECTING, connectToServer(), BusinessError.ALREADY_IN_PROGRESS,
                "already in progress"));
        // send
        cases.add(new Case(Setup.CONNECTED, send(null), p401, "options must not be null"));
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions(null)), p401, "data must not be null"));
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions(42)), p401, "java.lang.Integer"));
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions("x", "EBCDIC")), p401, "'EBCDIC'"));
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions(new byte[1], "UTF-7")), p401, "'UTF-7'"));
        cases.add(new Case(Setup.FRESH, send(new TCPSendOptions("x")), BusinessError.NOT_CONNECTED, "connect()"));
        cases.add(new Case(Setup.BOUND, send(new TCPSendOptions("x")), BusinessError.NOT_CONNECTED, "connect()"));
        cases.add(new Case(Setup.CONNECTING, send(new TCPSendOptions("x")), BusinessError.NOT_CONNECTED,
                "still connecting"));
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions("x", "")), p401, "encoding ''"));
        // One send bigger than the whole queue (16 MiB by default) can never fit, even on an idle connection.
        cases.add(new Case(Setup.CONNECTED, send(new TCPSendOptions(new byte[16 * 1024 * 1024 + 1])),
                BusinessError.NO_BUFFER_SPACE, "16777217 bytes is larger than the send queue limit of 16777216 bytes"));
        // setExtraOptions
        cases.add(new Case(Setup.CONNECTED, setExtraOptions(null), p401, "options must not be null"));
        cases.add(new Case(Setup.CONNECTED, setExtraOptions(options(o -> o.setSocketLinger(new SocketLinger(true, -1)))),
                p401, "linger -1"));
        cases.add(new Case(Setup.CONNECTED,
                setExtraOptions(options(o -> o.setSocketLinger(new SocketLinger(true, 65536)))), p401, "linger 65536"));
        cases.add(new Case(Setup.CONNECTED, setExtraOptions(options(o -> o.setReceiveBufferSize(-1))), p401,
                "receiveBufferSize -1"));
        cases.add(new Case(Setup.CONNECTED, setExtraOptions(options(o -> o.setSendBufferSize(-2))), p401,
                "sendBufferSize -2"));
        cases.add(new Case(Setup.CONNECTED, setExtraOptions(options(o -> o.setSocketTimeout(-3))), p401,
                "socketTimeout -3"));
        cases.add(new Case(Setup.FRESH, setExtraOptions(options(o -> o.setKeepAlive(true))), BusinessError.NOT_BOUND,
                "bind() or connect()"));
        cases.add(new Case(Setup.BOUND, setExtraOptions(null), p401, "options must not be null"));
        cases.add(new Case(Setup.BOUND, setExtraOptions(options(o -> o.setSendBufferSize(Integer.MIN_VALUE))), p401,
                "sendBufferSize " + Integer.MIN_VALUE));
        // addresses before a connection
        cases.add(new Case(Setup.FRESH, getRemoteAddress(), BusinessError.NOT_CONNECTED, "connect()"));
        cases.add(new Case(Setup.BOUND, getRemoteAddress(), BusinessError.NOT_CONNECTED, "connect()"));
        cases.add(new Case(Setup.CONNECTING, getRemoteAddress(), BusinessError.NOT_CONNECTED, "connect()"));
        cases.add(new Case(Setup.FRESH, getLocalAddress(), BusinessError.NOT_BOUND, "bind()"));
        // everything after close
        cases.add(new Case(Setup.CLOSED, bind(new NetAddress("127.0.0.1", 0)), BusinessError.NOT_BOUND, "closed"));
        cases.add(new Case(Setup.CLOSED, connectToServer(), BusinessError.NOT_BOUND, "closed"));
        cases.add(new Case(Setup.CLOSED, send(new TCPSendOptions("x")), BusinessError.NOT_BOUND, "closed"));
        cases.add(new Case(Setup.CLOSED, setExtraOptions(options(o -> o.setKeepAlive(true))), BusinessError.NOT_BOUND,
                "closed"));
        cases.add(new Case(Setup.CLOSED, getRemoteAddress(), BusinessError.NOT_BOUND, "closed"));
        cases.add(new Case(Setup.CLOSED, getLocalAddress(), BusinessError.NOT_BOUND, "closed"));
        return cases;
    }

    static Stream<Arguments> casesInBothForms() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, Form.PROMISE), Arguments.of(c, Form.CALLBACK)));
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = new LoopbackServer();
        silent = new FullBacklog();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        silent.close();
    }

    @BeforeEach
    void startFactory() {
        this.factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build());
    }

    @AfterEach
    void closeFactory() {
        this.factory.close();
    }

    private TCPSocket socketIn(Setup setup) throws Exception {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        switch (setup) {
            case FRESH -> {
            }
            case BOUND -> Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            case CONNECTING -> {
                // Left in progress: the test ends long before the connect times out.
                CompletableFuture<Void> connect = socket.connect(new TCPConnectOptions(silent.address(), 60_000));
                // A round trip through the loop: the connect has started by then, with its channel open.
                assertThat(Await.result(((NioSocket) socket).effectiveOptions())).isNotEmpty();
                assertThat(connect).isNotDone();
            }
            case CONNECTED -> Await.result(socket.connect(new TCPConnectOptions(server.address())));
            case CLOSED -> {
                Await.result(socket.connect(new TCPConnectOptions(server.address())));
                Await.result(socket.close());
            }
        }
        return socket;
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesInBothForms")
    void failsWithTheCodeAndAMessageNamingTheValue(Case c, Form form) throws Exception {
        TCPSocket socket = socketIn(c.setup());
        CompletableFuture<?> result;
        if (form == Form.PROMISE) {
            result = c.call().promise().apply(socket);
        }
        else {
            CompletableFuture<Object> future = new CompletableFuture<>();
            c.call().callback().accept(socket, future);
            result = future;
        }
        BusinessError error = Await.failure(result);
        assertThat(error.getCode()).as(error.getMessage()).isEqualTo(c.code());
        assertThat(error.getMessage()).contains(c.mentions());
    }

    @Test
    void theListeningEventIsAParameterErrorThrownAtOnce() {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        assertThatThrownBy(() -> socket.on(SocketEventType.LISTENING, nothing -> {
        })).isInstanceOfSatisfying(BusinessError.class,
                error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
            .hasMessageContaining("'listening'")
            .hasMessageContaining("TCP");
        assertThatThrownBy(() -> socket.off(SocketEventType.LISTENING, nothing -> {
        })).isInstanceOf(BusinessError.class).hasMessageContaining("'listening'");
        assertThatThrownBy(() -> socket.off(SocketEventType.LISTENING)).isInstanceOf(BusinessError.class)
            .hasMessageContaining("'listening'");
        assertThatThrownBy(() -> socket.on(null, nothing -> {
        })).isInstanceOf(BusinessError.class).hasMessageContaining("event type must not be null");
        assertThatThrownBy(() -> socket.on(SocketEventType.MESSAGE, null)).isInstanceOf(BusinessError.class)
            .hasMessageContaining("callback must not be null");
    }

    @Test
    void aNullCallbackIsAParameterErrorThrownAtOnce() {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        List<Runnable> calls = List.of(() -> socket.bind(new NetAddress("127.0.0.1", 0), null),
                () -> socket.connect(new TCPConnectOptions(server.address()), null),
                () -> socket.send(new TCPSendOptions("x"), null), () -> socket.close(null),
                () -> socket.getRemoteAddress(null), () -> socket.getLocalAddress(null), () -> socket.getState(null),
                () -> socket.setExtraOptions(new TCPExtraOptions(), null));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
                .hasMessageContaining("callback must not be null");
        }
    }


    /** The off forms with what they cannot take, and an event name the seed does not have. */
    @Test
    void badEventRegistrationsThrowAParameterErrorAtOnce() {
        TCPSocket socket = this.factory.constructTCPSocketInstance();
        List<Runnable> calls = List.of(() -> socket.off(null, nothing -> {
        }), () -> socket.off(null), () -> socket.off(SocketEventType.CLOSE, null),
                () -> socket.on(SocketEventType.of("connected"), nothing -> {
                }));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(BusinessError.class,
                    error -> assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR))
                .hasMessageMatching(".*(must not be null|'connected').*");
        }
    }

    /**
     * Sizes far beyond what the kernel allows are no error: the kernel caps them (Linux at twice
     * {@code net.core.rmem_max}/{@code wmem_max}), the effective size is read back, and the connection works on.
     */
    @ParameterizedTest
    @EnumSource(Form.class)
    void bufferSizesOfIntegerMaxValueAreCappedByTheKernelAndTheConnectionWorksOn(Form form) throws Exception {
        TCPSocket socket = socketIn(Setup.CONNECTED);
        int port = Await.result(socket.getLocalAddress()).port();
        // Earlier cases left their connections in the server's queue: skip to this test's.
        java.net.Socket peer = server.accept();
        while (peer.getPort() != port) {
            peer = server.accept();
        }
        TCPExtraOptions huge = options(o -> {
            o.setReceiveBufferSize(Integer.MAX_VALUE);
            o.setSendBufferSize(Integer.MAX_VALUE);
        });
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (form == Form.PROMISE) {
            socket.setExtraOptions(huge).whenComplete((nothing, error) -> result.complete(error));
        }
        else {
            socket.setExtraOptions(huge, (error, nothing) -> result.complete(error));
        }
        Object failure = result.get(Await.SECONDS, TimeUnit.SECONDS);
        if (failure != null) {
            // A platform that refuses such a size must say so with a code, never throw or hang.
            assertThat(failure).isInstanceOf(BusinessError.class);
        }
        else {
            Map<String, Object> effective = Await.result(((NioSocket) socket).effectiveOptions());
            assertThat((Integer) effective.get("receiveBufferSize")).isPositive().isLessThan(Integer.MAX_VALUE);
            assertThat((Integer) effective.get("sendBufferSize")).isPositive().isLessThan(Integer.MAX_VALUE);
        }
        Await.result(socket.send(new TCPSendOptions("still works")));
        assertThat(LoopbackServer.readExactly(peer, 11)).asString().isEqualTo("still works");
    }

    /**
     * The whole table once more, each socket closed after its case and the server's ends too: afterwards the process
     * holds no more file descriptors than before, so no failed call leaves a channel open. A first pass warms up what
     * the JDK opens lazily, so that only leaks count.
     */
    @Test
    void theWholeTableLeaksNoFileDescriptors() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "skipped: no /proc/self/fd to count open descriptors");
        List<Arguments> all = casesInBothForms().toList();
        runAndClose(all);
        long before = count(fds);
        runAndClose(all);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(Await.SECONDS)).untilAsserted(() -> {
            // The test's server accepts on its own thread: close what it accepted after runAndClose() too, so that
            // only the engine's descriptors are counted.
            server.closeAccepted();
            assertThat(count(fds)).as("open descriptors after %d cases", all.size()).isLessThanOrEqualTo(before);
        });
    }

    private void runAndClose(List<Arguments> cases) throws Exception {
        for (Arguments arguments : cases) {
            Case c = (Case) arguments.get()[0];
            Form form = (Form) arguments.get()[1];
            TCPSocket socket = socketIn(c.setup());
            CompletableFuture<?> result;
            if (form == Form.PROMISE) {
                result = c.call().promise().apply(socket);
            }
            else {
                CompletableFuture<Object> future = new CompletableFuture<>();
                c.call().callback().accept(socket, future);
                result = future;
            }
            assertThat(Await.failure(result).getCode()).isEqualTo(c.code());
            Await.result(socket.close());
        }
        server.closeAccepted();
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

}
