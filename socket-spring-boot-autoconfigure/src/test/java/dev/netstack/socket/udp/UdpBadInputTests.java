package dev.netstack.socket.udp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every parameter of the UDP socket with its bad values, in both forms: the code, a message that names the value,
 * and a socket that is left as it was; no case throws from a callback form, hangs, or leaves a descriptor open.
 */
class UdpBadInputTests extends UdpTestSupport {

    /** The state a case starts from. */
    enum Start {
        FRESH, BOUND_V4, BOUND_V6, CLOSED
    }

    /** One operation of a case, run in the given form. */
    @FunctionalInterface
    interface Call {

        CompletableFuture<?> run(UdpBadInputTests test, UDPSocket socket, Form form);

    }

    /**
     * A bad input and what it must produce.
     * @param description what is wrong, as the test's name
     * @param start the socket's state before the call
     * @param call the call
     * @param code the expected code
     * @param message a part of the message that names the bad value
     */
    record BadInput(String description, Start start, Call call, int code, String message) {

        @Override
        public String toString() {
            return this.description;
        }

    }

    private static final int PARAMETER = BusinessError.PARAMETER_ERROR;

    private static final int NOT_BOUND = BusinessError.NOT_BOUND;

    /** Another socket's address, for the "address in use" case. */
    private NetAddress taken;

    static Stream<Arguments> badInputs() {
        List<BadInput> cases = new ArrayList<>();
        bindCases(cases);
        sendCases(cases);
        optionCases(cases);
        cases.add(new BadInput("getLocalAddress before bind", Start.FRESH, (t, s, f) -> t.getLocalAddress(s, f),
                NOT_BOUND, "call bind() first"));
        cases.add(new BadInput("getLocalAddress after close", Start.CLOSED, (t, s, f) -> t.getLocalAddress(s, f),
                NOT_BOUND, "closed"));
        return cases.stream().flatMap(c -> Stream.of(Form.values()).map(form -> Arguments.of(c, form)));
    }

    private static void bindCases(List<BadInput> cases) {
        cases.add(bind("null address", null, "address must not be null"));
        cases.add(bind("null address text", new NetAddress(null, 0, 1), "address must not be null"));
        cases.add(bind("port -1", new NetAddress("127.0.0.1", -1, 1), "port -1 is out of range 0..65535"));
        cases.add(bind("port 65536", new NetAddress("127.0.0.1", 65536, 1), "port 65536 is out of range 0..65535"));
        cases.add(bind("family 0", new NetAddress("127.0.0.1", 0, 0), "family 0"));
        cases.add(bind("family 3", new NetAddress("127.0.0.1", 0, 3), "family 3"));
        cases.add(bind("IPv4 literal as family 2", new NetAddress("127.0.0.1", 0, 2), "'127.0.0.1'"));
        cases.add(bind("IPv6 literal as family 1", new NetAddress("::1", 0, 1), "'::1'"));
        cases.add(bind("IPv4 literal with 256", new NetAddress("1.2.3.256", 0, 1), "'1.2.3.256'"));
        cases.add(bind("IPv4 literal with three parts", new NetAddress("1.2.3", 0, 1), "'1.2.3'"));
        cases.add(bind("IPv6 literal with g", new NetAddress("::g", 0, 2), "'::g'"));
        cases.add(bind("host name", new NetAddress("example.invalid", 0, 1), "'example.invalid' is a host name"));
        cases.add(bind("host name with space and !", new NetAddress("bad host!", 0, 1), "'bad host!'"));
        cases.add(bind("empty address", new NetAddress("", 0, 1), "address ''"));
        // Not hexadecimal: a JDK asked without brackets would look it up as a host name.
        cases.add(bind("IPv6 literal starting with g", new NetAddress("g::1", 0, 2), "'g::1'"));
        cases.add(bind("port Integer.MIN_VALUE", new NetAddress("127.0.0.1", Integer.MIN_VALUE, 1),
                "port " + Integer.MIN_VALUE + " is out of range"));
        cases.add(new BadInput("bind: address in use", Start.FRESH, (t, s, f) -> t.bind(s, t.takenAddress(), f),
                BusinessError.ADDRESS_IN_USE, "Address already in use"));
        cases.add(new BadInput("bind: already bound", Start.BOUND_V4, (t, s, f) -> t.bind(s, ANY_V4, f),
                BusinessError.INVALID_ARGUMENT, "already bound to 127.0.0.1:"));
        cases.add(new BadInput("bind: after close", Start.CLOSED, (t, s, f) -> t.bind(s, ANY_V4, f), NOT_BOUND,
                "closed"));
    }

    private static BadInput bind(String what, NetAddress address, String message) {
        return new BadInput("bind: " + what, Start.FRESH, (t, s, f) -> t.bind(s, address, f), PARAMETER, message);
    }

    private static void sendCases(List<BadInput> cases) {
        cases.add(new BadInput("send: null options", Start.BOUND_V4, (t, s, f) -> t.send(s, null, f), PARAMETER,
                "options must not be null"));
        cases.add(send("null data", null, new NetAddress("127.0.0.1", 9), "data must not be null"));
        cases.add(send("Integer data", 42, new NetAddress("127.0.0.1", 9), "java.lang.Integer"));
        cases.add(send("null address", "x", null, "address must not be null"));
        cases.add(send("port 0", "x", new NetAddress("127.0.0.1", 0), "port 0 is out of range 1..65535"));
        cases.add(send("port -1", "x", new NetAddress("127.0.0.1", -1), "port -1 is out of range 1..65535"));
        cases.add(send("port 65536", "x", new NetAddress("127.0.0.1", 65536), "port 65536"));
        cases.add(send("family 0", "x", new NetAddress("127.0.0.1", 9, 0), "family 0"));
        cases.add(send("family 3", "x", new NetAddress("127.0.0.1", 9, 3), "family 3"));
        cases.add(send("IPv4 literal as family 2", "x", new NetAddress("127.0.0.1", 9, 2), "'127.0.0.1'"));
        cases.add(send("IPv6 literal as family 1", "x", new NetAddress("::1", 9, 1), "'::1'"));
        cases.add(send("IPv4 literal with 256", "x", new NetAddress("1.2.3.256", 9), "'1.2.3.256'"));
        cases.add(send("IPv4 literal with three parts", "x", new NetAddress("1.2.3", 9), "'1.2.3'"));
        cases.add(send("IPv6 literal with g", "x", new NetAddress("::g", 9, 2), "'::g'"));
        cases.add(send("host name with space and !", "x", new NetAddress("bad host!", 9), "'bad host!'"));
        cases.add(send("IPv6 destination from an IPv4 socket", "x", new NetAddress("::1", 9, 2), "[::1]:9"));
        cases.add(send("empty address", "x", new NetAddress("", 9), "address ''"));
        cases.add(send("IPv6 literal starting with g", "x", new NetAddress("g::1", 9, 2), "'g::1'"));
        cases.add(send("port Integer.MAX_VALUE", "x", new NetAddress("127.0.0.1", Integer.MAX_VALUE),
                "port " + Integer.MAX_VALUE + " is out of range 1..65535"));
        cases.add(new BadInput("send: a datagram of 1 MiB", Start.BOUND_V4,
                (t, s, f) -> t.send(s, new UDPSendOptions(new byte[1 << 20], new NetAddress("127.0.0.1", 9)), f),
                BusinessError.MESSAGE_TOO_LONG, "1048576 bytes is larger than 65507"));
        cases.add(new BadInput("send: 65508 bytes over IPv4", Start.BOUND_V4,
                (t, s, f) -> t.send(s, new UDPSendOptions(new byte[65508], new NetAddress("127.0.0.1", 9)), f),
                BusinessError.MESSAGE_TOO_LONG, "65508 bytes"));
        cases.add(new BadInput("send: 65528 bytes over IPv6", Start.BOUND_V6,
                (t, s, f) -> t.send(s, new UDPSendOptions(new byte[65528], new NetAddress("::1", 9, 2)), f),
                BusinessError.MESSAGE_TOO_LONG, "65528 bytes"));
        cases.add(new BadInput("send: before bind", Start.FRESH,
                (t, s, f) -> t.send(s, new UDPSendOptions("x", new NetAddress("127.0.0.1", 9)), f), NOT_BOUND,
                "call bind() before send()"));
        cases.add(new BadInput("send: after close", Start.CLOSED,
                (t, s, f) -> t.send(s, new UDPSendOptions("x", new NetAddress("127.0.0.1", 9)), f), NOT_BOUND,
                "closed"));
    }

    private static BadInput send(String what, Object data, NetAddress to, String message) {
        return new BadInput("send: " + what, Start.BOUND_V4, (t, s, f) -> t.send(s, new UDPSendOptions(data, to), f),
                PARAMETER, message);
    }

    private static void optionCases(List<BadInput> cases) {
        cases.add(new BadInput("setExtraOptions: null", Start.BOUND_V4, (t, s, f) -> t.setExtraOptions(s, null, f),
                PARAMETER, "options must not be null"));
        cases.add(options("negative receiveBufferSize", Start.BOUND_V4, o -> o.setReceiveBufferSize(-1), PARAMETER,
                "receiveBufferSize -1"));
        cases.add(options("negative sendBufferSize", Start.BOUND_V4, o -> o.setSendBufferSize(-5), PARAMETER,
                "sendBufferSize -5"));
        cases.add(options("negative socketTimeout", Start.BOUND_V4, o -> o.setSocketTimeout(-1000), PARAMETER,
                "socketTimeout -1000"));
        cases.add(options("negative socketTimeout before bind", Start.FRESH, o -> o.setSocketTimeout(-1), PARAMETER,
                "socketTimeout -1"));
        cases.add(options("before bind", Start.FRESH, o -> o.setBroadcast(true), NOT_BOUND,
                "call bind() before setExtraOptions()"));
        cases.add(options("after close", Start.CLOSED, o -> o.setBroadcast(true), NOT_BOUND, "closed"));
        cases.add(options("receiveBufferSize Integer.MIN_VALUE", Start.BOUND_V4,
                o -> o.setReceiveBufferSize(Integer.MIN_VALUE), PARAMETER, "receiveBufferSize " + Integer.MIN_VALUE));
        cases.add(new BadInput("setExtraOptions: null after close", Start.CLOSED,
                (t, s, f) -> t.setExtraOptions(s, null, f), NOT_BOUND, "closed"));
    }

    private static BadInput options(String what, Start start, Consumer<UDPExtraOptions> setter, int code,
            String message) {
        return new BadInput("setExtraOptions: " + what, start, (t, s, f) -> {
            UDPExtraOptions options = new UDPExtraOptions();
            setter.accept(options);
            return t.setExtraOptions(s, options, f);
        }, code, message);
    }

    private NetAddress takenAddress() {
        if (this.taken == null) {
            this.taken = localAddress(boundSocket(ANY_V4));
        }
        return this.taken;
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("badInputs")
    void badInputFailsWithItsCodeAndAMessageNamingTheValue(BadInput input, Form form) throws Exception {
        UDPSocket socket = newSocket();
        Inbox inbox = Inbox.of(socket);
        switch (input.start()) {
            case BOUND_V4 -> await(socket.bind(ANY_V4));
            case BOUND_V6 -> await(socket.bind(ANY_V6));
            case CLOSED -> await(socket.close());
            case FRESH -> {
            }
        }
        NetAddress before = (input.start() == Start.BOUND_V4 || input.start() == Start.BOUND_V6)
                ? localAddress(socket) : null;

        BusinessError error = failure(input.call().run(this, socket, form));

        assertThat(error.getCode()).as(error.toString()).isEqualTo(input.code());
        assertThat(error.getMessage()).contains(input.message());
        // The socket is as it was, and fully usable where it was usable.
        switch (input.start()) {
            case FRESH -> {
                assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
                await(socket.bind(ANY_V4));
                assertThat(localAddress(socket).port()).isPositive();
            }
            case BOUND_V4, BOUND_V6 -> {
                assertThat(localAddress(socket)).isEqualTo(before);
                await(socket.send(new UDPSendOptions("still works", before)));
                assertThat(inbox.next().text()).isEqualTo("still works");
            }
            case CLOSED -> assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, true, false));
        }
    }

    /** Each callback-form method with a {@code null} callback, which has nowhere to report but a throw. */
    static Stream<Arguments> nullCallbacks() {
        NetAddress to = new NetAddress("127.0.0.1", 9);
        return Stream.of(
                Arguments.of("bind", (Consumer<UDPSocket>) s -> s.bind(ANY_V4, null)),
                Arguments.of("send", (Consumer<UDPSocket>) s -> s.send(new UDPSendOptions("x", to), null)),
                Arguments.of("close", (Consumer<UDPSocket>) s -> s.close(null)),
                Arguments.of("getState", (Consumer<UDPSocket>) s -> s.getState(null)),
                Arguments.of("setExtraOptions", (Consumer<UDPSocket>) s -> s.setExtraOptions(new UDPExtraOptions(), null)),
                Arguments.of("getLocalAddress", (Consumer<UDPSocket>) s -> s.getLocalAddress(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullCallbacks")
    void nullCallbackThrowsParameterErrorAndChangesNothing(String method, Consumer<UDPSocket> call) {
        UDPSocket socket = newSocket();
        assertThatThrownBy(() -> call.accept(socket)).isInstanceOfSatisfying(BusinessError.class, error -> {
            assertThat(error.getCode()).isEqualTo(PARAMETER);
            assertThat(error.getMessage()).contains("callback must not be null");
        });
        assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
    }

    /** on/off with what they cannot take; these throw at once, as the seed's do. */
    static Stream<Arguments> badEventRegistrations() {
        Callback<Void> callback = ignored -> {
        };
        return Stream.of(
                Arguments.of("on('connect') on UDP", (Consumer<UDPSocket>) s -> s.on(SocketEventType.CONNECT, callback),
                        "'connect'"),
                Arguments.of("off('connect', cb) on UDP",
                        (Consumer<UDPSocket>) s -> s.off(SocketEventType.CONNECT, callback), "'connect'"),
                Arguments.of("off('connect') on UDP", (Consumer<UDPSocket>) s -> s.off(SocketEventType.CONNECT),
                        "'connect'"),
                Arguments.of("on(null type)", (Consumer<UDPSocket>) s -> s.on(null, callback),
                        "event type must not be null"),
                Arguments.of("off(null type, cb)", (Consumer<UDPSocket>) s -> s.off(null, callback),
                        "event type must not be null"),
                Arguments.of("off(null type)", (Consumer<UDPSocket>) s -> s.off(null), "event type must not be null"),
                Arguments.of("on('close', null)", (Consumer<UDPSocket>) s -> s.on(SocketEventType.CLOSE, null),
                        "callback must not be null"),
                Arguments.of("off('close', null)", (Consumer<UDPSocket>) s -> s.off(SocketEventType.CLOSE, null),
                        "callback must not be null"),
                Arguments.of("unknown event kind 'connected'",
                        (Consumer<UDPSocket>) s -> s.on(SocketEventType.of("connected"), null), "'connected'"),
                Arguments.of("unknown event kind null", (Consumer<UDPSocket>) s -> SocketEventType.of(null), "'null'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEventRegistrations")
    void badEventRegistrationThrowsParameterError(String what, Consumer<UDPSocket> call, String message) {
        UDPSocket socket = newSocket();
        assertThatThrownBy(() -> call.accept(socket)).isInstanceOfSatisfying(BusinessError.class, error -> {
            assertThat(error.getCode()).isEqualTo(PARAMETER);
            assertThat(error.getMessage()).contains(message);
        });
    }


    /**
     * Sizes far beyond what the kernel allows are no error: the kernel caps them (Linux at twice
     * {@code net.core.rmem_max}/{@code wmem_max}), the effective size is read back, and the socket works on.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Form.class)
    void bufferSizesOfIntegerMaxValueAreCappedByTheKernelAndTheSocketWorksOn(Form form) throws Exception {
        UDPSocket socket = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(socket);
        UDPExtraOptions huge = new UDPExtraOptions();
        huge.setReceiveBufferSize(Integer.MAX_VALUE);
        huge.setSendBufferSize(Integer.MAX_VALUE);
        CompletableFuture<Void> result = setExtraOptions(socket, huge, form);
        Throwable failure = result.handle((nothing, error) -> error).get(WAIT_SECONDS, TimeUnit.SECONDS);
        if (failure != null) {
            // A platform that refuses such a size must say so with a code, never throw or hang.
            assertThat(failure).isInstanceOf(BusinessError.class);
        }
        else {
            Map<String, Object> effective = await(((NioSocket) socket).effectiveOptions());
            assertThat((Integer) effective.get("receiveBufferSize")).isPositive().isLessThan(Integer.MAX_VALUE);
            assertThat((Integer) effective.get("sendBufferSize")).isPositive().isLessThan(Integer.MAX_VALUE);
        }
        NetAddress self = localAddress(socket);
        await(socket.send(new UDPSendOptions("still works", self)));
        assertThat(inbox.next().text()).isEqualTo("still works");
    }

    /**
     * The whole table once more, each socket closed after its case: afterwards the process holds no more file
     * descriptors than before, so no failed call leaves a channel open. A first pass warms up what the JDK opens
     * lazily, so that only leaks count.
     */
    @Test
    void theWholeTableLeaksNoFileDescriptors() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "skipped: no /proc/self/fd to count open descriptors");
        List<Arguments> all = badInputs().toList();
        runAndClose(all);
        long before = count(fds);
        runAndClose(all);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(WAIT_SECONDS))
            .untilAsserted(() -> assertThat(count(fds)).as("open descriptors after %d cases", all.size())
                .isLessThanOrEqualTo(before));
    }

    private void runAndClose(List<Arguments> cases) {
        for (Arguments arguments : cases) {
            BadInput input = (BadInput) arguments.get()[0];
            Form form = (Form) arguments.get()[1];
            UDPSocket socket = newSocket();
            switch (input.start()) {
                case BOUND_V4 -> await(socket.bind(ANY_V4));
                case BOUND_V6 -> await(socket.bind(ANY_V6));
                case CLOSED -> await(socket.close());
                case FRESH -> {
                }
            }
            assertThat(failure(input.call().run(this, socket, form)).getCode()).isEqualTo(input.code());
            await(socket.close());
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

}
