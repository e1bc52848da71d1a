package dev.netstack.socket.tcp;

import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.TcpConnectTests.Form;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every TCPExtraOptions field, set by setExtraOptions after bind or connect or by the factory's defaults, read back
 * from the channel; and linger's effect on how the connection ends.
 */
@Timeout(60)
class TcpOptionsTests {

    private NioSocketFactory factory;

    @AfterEach
    void closeFactory() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    private TCPSocket socket(SocketSettings.Builder settings) {
        if (this.factory == null) {
            this.factory = NioSocketFactory.create(settings.build());
        }
        return this.factory.constructTCPSocketInstance();
    }

    private TCPSocket socket() {
        return socket(SocketSettings.builder().ioThreads(1));
    }

    static TCPExtraOptions allOn() {
        TCPExtraOptions options = new TCPExtraOptions();
        options.setKeepAlive(true);
        options.setOOBInline(true);
        options.setTCPNoDelay(true);
        options.setSocketLinger(new SocketLinger(true, 1500));
        options.setReceiveBufferSize(96 * 1024);
        options.setSendBufferSize(80 * 1024);
        options.setReuseAddress(true);
        options.setSocketTimeout(3000);
        return options;
    }

    static TCPExtraOptions allOff() {
        TCPExtraOptions options = new TCPExtraOptions();
        options.setKeepAlive(false);
        options.setOOBInline(false);
        options.setTCPNoDelay(false);
        options.setSocketLinger(new SocketLinger(false, 0));
        options.setReuseAddress(false);
        options.setSocketTimeout(1000);
        return options;
    }

    private static void assertAllOn(Map<String, Object> effective) {
        assertThat(effective).containsEntry("keepAlive", true)
            .containsEntry("OOBInline", true)
            .containsEntry("TCPNoDelay", true)
            .containsEntry("socketLingerSeconds", 2)
            .containsEntry("reuseAddress", true)
            .containsEntry("socketTimeout", 3000L);
        // The kernel may round buffer sizes up (Linux doubles them), never down.
        assertThat((Integer) effective.get("receiveBufferSize")).isGreaterThanOrEqualTo(96 * 1024);
        assertThat((Integer) effective.get("sendBufferSize")).isGreaterThanOrEqualTo(80 * 1024);
    }

    private static void assertAllOff(Map<String, Object> effective) {
        assertThat(effective).containsEntry("keepAlive", false)
            .containsEntry("OOBInline", false)
            .containsEntry("TCPNoDelay", false)
            .containsEntry("socketLingerSeconds", -1)
            .containsEntry("reuseAddress", false)
            .containsEntry("socketTimeout", 1000L);
    }

    private static CompletableFuture<Void> set(TCPSocket socket, Form form, TCPExtraOptions options) {
        return (form == Form.PROMISE) ? socket.setExtraOptions(options)
                : Await.callback(cb -> socket.setExtraOptions(options, cb));
    }

    private static Map<String, Object> effective(TCPSocket socket) throws Exception {
        return Await.result(((NioSocket) socket).effectiveOptions());
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void setExtraOptionsAfterConnectAppliesEveryField(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Await.result(set(socket, form, allOn()));
            assertAllOn(effective(socket));
            Await.result(set(socket, form, allOff()));
            assertAllOff(effective(socket));
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void setExtraOptionsAfterBindAppliesBeforeTheConnectAndTheyLast(Form form) throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            Await.result(set(socket, form, allOn()));
            assertAllOn(effective(socket));
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            assertAllOn(effective(socket));
        }
    }

    @Test
    void factoryDefaultsApplyWhenTheChannelOpensBeforeBindOrConnect() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            SocketSettings.Builder settings = SocketSettings.builder().ioThreads(1).tcpDefaults(allOn());
            TCPSocket bound = socket(settings);
            Await.result(bound.bind(new NetAddress("127.0.0.1", 0)));
            assertAllOn(effective(bound));

            TCPSocket connected = socket(settings);
            Await.result(connected.connect(new TCPConnectOptions(server.address())));
            assertAllOn(effective(connected));
        }
    }

    @Test
    void optionsOutliveAFailedConnect() throws Exception {
        int refused = TcpConnectTests.freePort();
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
            Await.result(socket.setExtraOptions(allOn()));
            Await.failure(socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", refused))));
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            assertAllOn(effective(socket));
        }
    }

    @Test
    void noOptionsAreReportedWithoutAChannel() throws Exception {
        TCPSocket socket = socket();
        assertThat(effective(socket)).isEmpty();
        Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
        assertThat(effective(socket)).isNotEmpty();
        Await.result(socket.close());
        assertThat(effective(socket)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({ "0, 0", "1, 1", "1000, 1", "1001, 2", "65535, 66" })
    void lingerMillisecondsAreRoundedUpToWholeSeconds(int millis, int seconds) throws Exception {
        TCPSocket socket = socket();
        Await.result(socket.bind(new NetAddress("127.0.0.1", 0)));
        TCPExtraOptions options = new TCPExtraOptions();
        options.setSocketLinger(new SocketLinger(true, millis));
        Await.result(socket.setExtraOptions(options));
        assertThat(effective(socket)).containsEntry("socketLingerSeconds", seconds);
    }

    @Test
    void lingerZeroResetsTheConnectionOnClose() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            TCPExtraOptions options = new TCPExtraOptions();
            options.setSocketLinger(new SocketLinger(true, 0));
            Await.result(socket.setExtraOptions(options));
            Await.result(socket.close());
            assertThatThrownBy(() -> LoopbackServer.readToEnd(peer)).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        }
    }

    @Test
    void aLingeringCloseNeverBlocksTheLoop() throws Exception {
        TCPExtraOptions defaults = new TCPExtraOptions();
        defaults.setSendBufferSize(1024 * 1024);
        // The peer's window is tiny and it never reads: the bytes stay in our kernel's send buffer, and a plain
        // close(2) with SO_LINGER on would wait for them for the linger time, even on a non-blocking socket.
        try (LoopbackServer stuck = new LoopbackServer("127.0.0.1", 4 * 1024); LoopbackServer echo = new LoopbackServer()) {
            TCPSocket lingering = socket(SocketSettings.builder().ioThreads(1).tcpDefaults(defaults));
            Await.result(lingering.connect(new TCPConnectOptions(stuck.address())));
            stuck.accept();
            TCPExtraOptions linger = new TCPExtraOptions();
            linger.setSocketLinger(new SocketLinger(true, 5000));
            Await.result(lingering.setExtraOptions(linger));
            for (int i = 0; i < 16; i++) {
                Await.result(lingering.send(new TCPSendOptions(new byte[16 * 1024])));
            }
            assertThat(((NioSocket) lingering).pendingBytes()).as("every byte is in the kernel").isZero();

            long started = System.nanoTime();
            Await.result(lingering.close());
            // Same factory, one loop: this round trip needs the loop that closed the lingering socket.
            TCPSocket other = socket(SocketSettings.builder());
            Await.result(other.connect(new TCPConnectOptions(echo.address())));
            Socket peer = echo.accept();
            Await.result(other.send(new TCPSendOptions("ping")));
            assertThat(LoopbackServer.readExactly(peer, 4)).hasSize(4);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(elapsedMillis).as("the loop served another socket well within the 5 s linger").isLessThan(2500);
        }
    }

    @Test
    void withoutLingerCloseEndsTheStreamCleanlyAfterTheData() throws Exception {
        try (LoopbackServer server = new LoopbackServer()) {
            TCPSocket socket = socket();
            Await.result(socket.connect(new TCPConnectOptions(server.address())));
            Socket peer = server.accept();
            Await.result(socket.send(new TCPSendOptions("bye")));
            Await.result(socket.close());
            assertThat(new String(LoopbackServer.readToEnd(peer), StandardCharsets.US_ASCII)).isEqualTo("bye");
        }
    }

}
