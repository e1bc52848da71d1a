package dev.netstack.socket.udp;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * setExtraOptions and the factory's UDP defaults, each field read back from the channel with
 * {@link NioSocket#effectiveOptions()}.
 *
 * <p>Buffer sizes: Linux doubles the requested SO_RCVBUF/SO_SNDBUF (socket(7): the kernel keeps room for its own
 * bookkeeping and reports the doubled value); other systems report the value as given. So a size {@code n}, small
 * enough not to be clamped by the system maximum, reads back as {@code n} or {@code 2n} — never as the default.
 */
class UdpExtraOptionsTests extends UdpTestSupport {

    private static final int RECEIVE_BUFFER = 24_576;

    private static final int SEND_BUFFER = 28_672;

    static Map<String, Object> effective(UDPSocket socket) {
        return await(((NioSocket) socket).effectiveOptions());
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void receiveBufferSizeIsApplied(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        UDPExtraOptions options = new UDPExtraOptions();
        options.setReceiveBufferSize(RECEIVE_BUFFER);
        await(setExtraOptions(socket, options, form));
        assertThat((Integer) effective(socket).get("receiveBufferSize")).isIn(RECEIVE_BUFFER, 2 * RECEIVE_BUFFER);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void sendBufferSizeIsApplied(Form form) {
        UDPSocket socket = boundSocket(ANY_V6);
        UDPExtraOptions options = new UDPExtraOptions();
        options.setSendBufferSize(SEND_BUFFER);
        await(setExtraOptions(socket, options, form));
        assertThat((Integer) effective(socket).get("sendBufferSize")).isIn(SEND_BUFFER, 2 * SEND_BUFFER);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void reuseAddressIsAppliedBothWays(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        assertThat(effective(socket)).containsEntry("reuseAddress", false);
        UDPExtraOptions on = new UDPExtraOptions();
        on.setReuseAddress(true);
        await(setExtraOptions(socket, on, form));
        assertThat(effective(socket)).containsEntry("reuseAddress", true);
        UDPExtraOptions off = new UDPExtraOptions();
        off.setReuseAddress(false);
        await(setExtraOptions(socket, off, form));
        assertThat(effective(socket)).containsEntry("reuseAddress", false);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void broadcastIsAppliedBothWays(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        assertThat(effective(socket)).containsEntry("broadcast", false);
        UDPExtraOptions on = new UDPExtraOptions();
        on.setBroadcast(true);
        await(setExtraOptions(socket, on, form));
        assertThat(effective(socket)).containsEntry("broadcast", true);
        UDPExtraOptions off = new UDPExtraOptions();
        off.setBroadcast(false);
        await(setExtraOptions(socket, off, form));
        assertThat(effective(socket)).containsEntry("broadcast", false);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void socketTimeoutIsAppliedAndZeroMeansTheDefault(Form form) {
        UDPSocket socket = boundSocket(ANY_V4);
        assertThat(effective(socket)).containsEntry("socketTimeout", SocketSettings.DEFAULT_SEND_TIMEOUT.toMillis());
        UDPExtraOptions options = new UDPExtraOptions();
        options.setSocketTimeout(1234);
        await(setExtraOptions(socket, options, form));
        assertThat(effective(socket)).containsEntry("socketTimeout", 1234L);
        options.setSocketTimeout(0);
        await(setExtraOptions(socket, options, form));
        assertThat(effective(socket)).containsEntry("socketTimeout", SocketSettings.DEFAULT_SEND_TIMEOUT.toMillis());
    }

    @Test
    void onlyTheSetFieldsAreApplied() {
        UDPSocket socket = boundSocket(ANY_V4);
        UDPExtraOptions first = new UDPExtraOptions();
        first.setBroadcast(true);
        first.setReceiveBufferSize(RECEIVE_BUFFER);
        await(socket.setExtraOptions(first));
        Map<String, Object> before = effective(socket);
        UDPExtraOptions onlyTimeout = new UDPExtraOptions();
        onlyTimeout.setSocketTimeout(777);
        await(socket.setExtraOptions(onlyTimeout));
        await(socket.setExtraOptions(new UDPExtraOptions()));
        Map<String, Object> after = effective(socket);
        assertThat(after).containsEntry("socketTimeout", 777L);
        assertThat(after.get("broadcast")).isEqualTo(before.get("broadcast")).isEqualTo(true);
        assertThat(after.get("receiveBufferSize")).isEqualTo(before.get("receiveBufferSize"));
    }

    @Test
    void allFieldsTogetherWithTheSeedsExampleValuesAreAccepted() throws Exception {
        // The seed's own example: { receiveBufferSize: 1000, sendBufferSize: 1000, reuseAddress: false,
        // socketTimeout: 6000, broadcast: true }. The kernel raises buffers this small to its minimum.
        UDPSocket socket = boundSocket(ANY_V4);
        UDPExtraOptions options = new UDPExtraOptions();
        options.setReceiveBufferSize(1000);
        options.setSendBufferSize(1000);
        options.setReuseAddress(false);
        options.setSocketTimeout(6000);
        options.setBroadcast(true);
        await(socket.setExtraOptions(options));
        Map<String, Object> effective = effective(socket);
        assertThat((Integer) effective.get("receiveBufferSize")).isGreaterThanOrEqualTo(1000);
        assertThat((Integer) effective.get("sendBufferSize")).isGreaterThanOrEqualTo(1000);
        assertThat(effective).containsEntry("reuseAddress", false).containsEntry("broadcast", true)
            .containsEntry("socketTimeout", 6000L);
        // And the socket still works with them.
        UDPSocket receiver = boundSocket(ANY_V4);
        Inbox inbox = Inbox.of(receiver);
        await(socket.send(new UDPSendOptions("after options", localAddress(receiver))));
        assertThat(inbox.next().text()).isEqualTo("after options");
    }

    @Test
    void noOptionsAreReportedBeforeBindOrAfterClose() {
        UDPSocket socket = newSocket();
        assertThat(effective(socket)).isEmpty();
        await(socket.bind(ANY_V4));
        assertThat(effective(socket)).containsKeys("receiveBufferSize", "sendBufferSize", "reuseAddress", "broadcast",
                "socketTimeout");
        await(socket.close());
        assertThat(effective(socket)).isEmpty();
    }

    @Test
    void factoryDefaultsAreAppliedWhenTheChannelOpens() {
        UDPExtraOptions defaults = new UDPExtraOptions();
        defaults.setReceiveBufferSize(RECEIVE_BUFFER);
        defaults.setSendBufferSize(SEND_BUFFER);
        defaults.setReuseAddress(true);
        defaults.setBroadcast(true);
        defaults.setSocketTimeout(4321);
        startFactory(SocketSettings.builder().udpDefaults(defaults));
        UDPSocket socket = boundSocket(ANY_V6);
        Map<String, Object> effective = effective(socket);
        assertThat((Integer) effective.get("receiveBufferSize")).isIn(RECEIVE_BUFFER, 2 * RECEIVE_BUFFER);
        assertThat((Integer) effective.get("sendBufferSize")).isIn(SEND_BUFFER, 2 * SEND_BUFFER);
        assertThat(effective).containsEntry("reuseAddress", true).containsEntry("broadcast", true)
            .containsEntry("socketTimeout", 4321L);
    }

    @Test
    void reuseAddressFromTheDefaultsTakesEffectAtBind() {
        // SO_REUSEADDR only matters if it is set before bind: with it on both sockets, Linux lets a second UDP
        // socket bind a port that is taken (without it, the same bind fails with 2301098, see UdpBindTests).
        UDPExtraOptions defaults = new UDPExtraOptions();
        defaults.setReuseAddress(true);
        startFactory(SocketSettings.builder().udpDefaults(defaults));
        UDPSocket first = boundSocket(ANY_V4);
        NetAddress taken = localAddress(first);
        UDPSocket second = boundSocket(taken);
        assertThat(localAddress(second)).isEqualTo(taken);
    }

    @Test
    void optionsGivenInACallAreOverriddenNeitherByDefaultsNorByLaterChangesOfTheCallersObject() {
        UDPExtraOptions defaults = new UDPExtraOptions();
        defaults.setBroadcast(true);
        startFactory(SocketSettings.builder().udpDefaults(defaults));
        UDPSocket socket = boundSocket(ANY_V4);
        UDPExtraOptions options = new UDPExtraOptions();
        options.setBroadcast(false);
        CompletableFuture<Void> applied = socket.setExtraOptions(options);
        // Changing the object after the call must not change what the call applies.
        options.setBroadcast(true);
        await(applied);
        assertThat(effective(socket)).containsEntry("broadcast", false);
    }

}
