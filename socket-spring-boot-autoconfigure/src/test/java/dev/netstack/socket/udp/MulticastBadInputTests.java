package dev.netstack.socket.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.netns.InNetworkNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every parameter of the multicast methods with its bad values, in both forms: the code, a message that names the
 * value, and a socket left as it was.
 */
@InNetworkNamespace
class MulticastBadInputTests extends MulticastTestSupport {

    /** The state a case starts from. */
    enum Start {
        FRESH, BOUND, JOINED, CLOSED
    }

    @FunctionalInterface
    interface Call {

        CompletableFuture<?> run(MulticastBadInputTests test, MulticastSocket socket, Form form);

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

    private static final int INVALID = BusinessError.INVALID_ARGUMENT;

    private static final NetAddress GROUP = Family.IPV4.groupA(0);

    @BeforeEach
    void ipv4IsReady() {
        Family.IPV4.assumeReady();
    }

    static Stream<Arguments> badInputs() {
        List<BadInput> cases = new ArrayList<>();
        membershipCases(cases);
        ttlAndLoopbackCases(cases);
        return cases.stream().flatMap(c -> Stream.of(Form.values()).map(form -> Arguments.of(c, form)));
    }

    private static void membershipCases(List<BadInput> cases) {
        cases.add(join("null address", null, PARAMETER, "address must not be null"));
        cases.add(join("unicast 192.0.2.1", new NetAddress("192.0.2.1", 5000), PARAMETER,
                "192.0.2.1 is not a multicast group"));
        cases.add(join("loopback 127.0.0.1", new NetAddress("127.0.0.1", 5000), PARAMETER, "127.0.0.1 is not"));
        cases.add(join("localhost", new NetAddress("localhost", 5000), PARAMETER, "127.0.0.1 is not"));
        cases.add(join("broadcast 255.255.255.255", new NetAddress("255.255.255.255", 5000), PARAMETER,
                "255.255.255.255 is not"));
        cases.add(join("223.255.255.255, below 224.0.0.0/4", new NetAddress("223.255.255.255", 5000), PARAMETER,
                "223.255.255.255 is not"));
        cases.add(join("240.0.0.1, above 224.0.0.0/4", new NetAddress("240.0.0.1", 5000), PARAMETER,
                "240.0.0.1 is not"));
        cases.add(join("IPv6 loopback ::1", new NetAddress("::1", 5000, 2), PARAMETER, "::1 is not"));
        cases.add(join("IPv6 link-local fe80::1", new NetAddress("fe80::1", 5000, 2), PARAMETER, "fe80::1 is not"));
        cases.add(join("IPv4 group as family 2", new NetAddress("239.255.77.1", 5000, 2), PARAMETER,
                "'239.255.77.1'"));
        cases.add(join("IPv6 group as family 1", new NetAddress("ff15::77:1", 5000, 1), PARAMETER, "'ff15::77:1'"));
        cases.add(join("host name", new NetAddress("all-systems.mcast.net", 5000), PARAMETER,
                "'all-systems.mcast.net' is not an IP literal"));
        cases.add(join("port 65536", new NetAddress("239.255.77.1", 65536), PARAMETER,
                "port 65536 is out of range 0..65535"));
        cases.add(join("family 3", new NetAddress("239.255.77.1", 5000, 3), PARAMETER, "family 3"));
        cases.add(new BadInput("addMembership: a group joined already", Start.JOINED,
                (t, s, f) -> t.addMembership(s, GROUP, f), INVALID, "239.255.77.1 is already joined"));
        cases.add(new BadInput("addMembership: an IPv6 group on an IPv4 socket", Start.BOUND,
                (t, s, f) -> t.addMembership(s, Family.IPV6.groupA(0), f), PARAMETER,
                "ff15::77:1 is IPv6 but the socket is bound to IPv4"));
        cases.add(new BadInput("addMembership: after close", Start.CLOSED, (t, s, f) -> t.addMembership(s, GROUP, f),
                NOT_BOUND, "closed"));
        cases.add(leave("null address", Start.JOINED, null, PARAMETER, "address must not be null"));
        cases.add(leave("unicast 192.0.2.1", Start.JOINED, new NetAddress("192.0.2.1", 5000), PARAMETER,
                "192.0.2.1 is not a multicast group"));
        cases.add(leave("a group never joined, before bind", Start.FRESH, GROUP, INVALID,
                "239.255.77.1 is not joined"));
        cases.add(leave("another group than the one joined", Start.JOINED, Family.IPV4.groupB(0), INVALID,
                "239.255.77.2 is not joined"));
        cases.add(leave("after close", Start.CLOSED, GROUP, NOT_BOUND, "closed"));
    }

    private static BadInput join(String what, NetAddress group, int code, String message) {
        return new BadInput("addMembership: " + what, Start.FRESH, (t, s, f) -> t.addMembership(s, group, f), code,
                message);
    }

    private static BadInput leave(String what, Start start, NetAddress group, int code, String message) {
        return new BadInput("dropMembership: " + what, start, (t, s, f) -> t.dropMembership(s, group, f), code,
                message);
    }

    private static void ttlAndLoopbackCases(List<BadInput> cases) {
        cases.add(ttl(Start.JOINED, -1, PARAMETER, "ttl -1 is out of range 0..255"));
        cases.add(ttl(Start.JOINED, 256, PARAMETER, "ttl 256 is out of range 0..255"));
        cases.add(ttl(Start.BOUND, Integer.MIN_VALUE, PARAMETER, "ttl " + Integer.MIN_VALUE + " is out of range"));
        cases.add(ttl(Start.FRESH, 256, PARAMETER, "ttl 256"));
        cases.add(ttl(Start.FRESH, 1, NOT_BOUND, "call bind() or addMembership() before setMulticastTTL()"));
        cases.add(ttl(Start.CLOSED, 1, NOT_BOUND, "closed"));
        cases.add(new BadInput("getMulticastTTL: before a channel", Start.FRESH, (t, s, f) -> t.getMulticastTTL(s, f),
                NOT_BOUND, "before getMulticastTTL()"));
        cases.add(new BadInput("getMulticastTTL: after close", Start.CLOSED, (t, s, f) -> t.getMulticastTTL(s, f),
                NOT_BOUND, "closed"));
        cases.add(new BadInput("setLoopbackMode: before a channel", Start.FRESH,
                (t, s, f) -> t.setLoopbackMode(s, false, f), NOT_BOUND, "before setLoopbackMode()"));
        cases.add(new BadInput("setLoopbackMode: after close", Start.CLOSED, (t, s, f) -> t.setLoopbackMode(s, true, f),
                NOT_BOUND, "closed"));
        cases.add(new BadInput("getLoopbackMode: before a channel", Start.FRESH, (t, s, f) -> t.getLoopbackMode(s, f),
                NOT_BOUND, "before getLoopbackMode()"));
        cases.add(new BadInput("getLoopbackMode: after close", Start.CLOSED, (t, s, f) -> t.getLoopbackMode(s, f),
                NOT_BOUND, "closed"));
    }

    private static BadInput ttl(Start start, int ttl, int code, String message) {
        return new BadInput("setMulticastTTL: " + ttl + " " + start.name().toLowerCase(Locale.ROOT), start,
                (t, s, f) -> t.setMulticastTTL(s, ttl, f), code, message);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("badInputs")
    void badInputFailsWithItsCodeAndAMessageNamingTheValue(BadInput input, Form form) throws Exception {
        MulticastSocket socket = newMulticastSocket();
        Inbox inbox = Inbox.of(socket);
        switch (input.start()) {
            case BOUND -> await(socket.bind(Family.IPV4.any()));
            case JOINED -> await(socket.addMembership(GROUP));
            case CLOSED -> await(socket.close());
            case FRESH -> {
            }
        }
        NetAddress before = (input.start() == Start.BOUND || input.start() == Start.JOINED) ? localAddress(socket)
                : null;

        BusinessError error = failure(input.call().run(this, socket, form));

        assertThat(error.getCode()).as(error.toString()).isEqualTo(input.code());
        assertThat(error.getMessage()).contains(input.message());
        // The socket is as it was, and usable where it was usable.
        switch (input.start()) {
            case FRESH -> {
                assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
                await(socket.addMembership(GROUP));
            }
            case BOUND -> assertThat(localAddress(socket)).isEqualTo(before);
            case JOINED -> {
                assertThat(localAddress(socket)).isEqualTo(before);
                send(sender(Family.IPV4), "still a member", Family.IPV4.groupA(before.port()));
                assertThat(inbox.next().text()).isEqualTo("still a member");
            }
            case CLOSED -> assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, true, false));
        }
    }

    static Stream<Arguments> nullCallbacks() {
        return Stream.of(
                Arguments.of("addMembership", (Consumer<MulticastSocket>) s -> s.addMembership(GROUP, null)),
                Arguments.of("dropMembership", (Consumer<MulticastSocket>) s -> s.dropMembership(GROUP, null)),
                Arguments.of("setMulticastTTL", (Consumer<MulticastSocket>) s -> s.setMulticastTTL(1, null)),
                Arguments.of("getMulticastTTL", (Consumer<MulticastSocket>) s -> s.getMulticastTTL(null)),
                Arguments.of("setLoopbackMode", (Consumer<MulticastSocket>) s -> s.setLoopbackMode(true, null)),
                Arguments.of("getLoopbackMode", (Consumer<MulticastSocket>) s -> s.getLoopbackMode(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullCallbacks")
    void nullCallbackThrowsParameterErrorAndChangesNothing(String method, Consumer<MulticastSocket> call) {
        MulticastSocket socket = newMulticastSocket();
        assertThatThrownBy(() -> call.accept(socket)).isInstanceOfSatisfying(BusinessError.class, error -> {
            assertThat(error.getCode()).isEqualTo(PARAMETER);
            assertThat(error.getMessage()).contains("callback must not be null");
        });
        assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, false, false));
    }

    @Test
    void eventTypesAreThoseOfAUdpSocket() {
        MulticastSocket socket = newMulticastSocket();
        socket.on(SocketEventType.LISTENING, nothing -> {
        });
        assertThatThrownBy(() -> socket.on(SocketEventType.CONNECT, nothing -> {
        })).isInstanceOfSatisfying(BusinessError.class, error -> {
            assertThat(error.getCode()).isEqualTo(PARAMETER);
            assertThat(error.getMessage()).contains("'connect'");
        });
    }

}
