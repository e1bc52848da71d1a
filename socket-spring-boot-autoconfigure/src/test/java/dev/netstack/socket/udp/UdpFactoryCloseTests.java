package dev.netstack.socket.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a factory: its sockets close (once, flushing accepted sends), its threads end, and sockets made afterwards
 * fail every operation with 2301009.
 */
class UdpFactoryCloseTests extends UdpTestSupport {

    private List<String> threadsOf(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(name -> name.startsWith(prefix)).toList();
    }

    @Test
    void closingTheFactoryClosesEverySocketOnceAndEndsItsThreads() {
        NioSocketFactory factory = factory();
        List<UDPSocket> sockets = List.of(boundSocket(ANY_V4), boundSocket(ANY_V6), newSocket());
        AtomicInteger closes = new AtomicInteger();
        sockets.forEach(socket -> socket.on(SocketEventType.CLOSE, ignored -> closes.incrementAndGet()));
        assertThat(threadsOf(this.threadPrefix)).hasSize(2);
        assertThat(factory.stats().of(Protocol.UDP).active()).isEqualTo(3);

        factory.close();

        assertThat(closes).hasValue(3);
        for (UDPSocket socket : sockets) {
            assertThat(await(socket.getState())).isEqualTo(new SocketStateBase(false, true, false));
        }
        assertThat(threadsOf(this.threadPrefix)).isEmpty();
        assertThat(factory.isClosed()).isTrue();
        assertThat(factory.sockets()).isEmpty();
        assertThat(factory.stats().of(Protocol.UDP).active()).isZero();
        // Closing again changes nothing.
        factory.close();
        assertThat(closes).hasValue(3);
    }

    @Test
    void closingTheFactoryLetsAcceptedSendsOut() throws Exception {
        String prefix = "socket-io-UdpFactoryCloseTests-receiver-";
        try (NioSocketFactory other = NioSocketFactory.create(SocketSettings.builder().ioThreads(1)
            .threadNamePrefix(prefix).build())) {
            UDPSocket receiver = other.constructUDPSocketInstance();
            Inbox inbox = Inbox.of(receiver);
            await(receiver.bind(ANY_V4));
            NetAddress to = localAddress(receiver);
            UDPSocket sender = boundSocket(ANY_V4);
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sends.add(sender.send(new UDPSendOptions("before shutdown " + i, to)));
            }
            this.factory.close();
            sends.forEach(UdpTestSupport::await);
            assertThat(inbox.next(20)).hasSize(20);
        }
        assertThat(threadsOf(prefix)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void socketsOfAClosedFactoryFailEveryOperationButCloseAndGetState(Form form) {
        UDPSocket before = boundSocket(ANY_V4);
        NioSocketFactory factory = this.factory;
        factory.close();
        UDPSocket after = factory.constructUDPSocketInstance();
        NetAddress to = new NetAddress("127.0.0.1", 9);
        for (UDPSocket socket : List.of(before, after)) {
            assertThat(failure(bind(socket, ANY_V4, form)).getCode()).isEqualTo(BusinessError.NOT_BOUND);
            assertThat(failure(send(socket, new UDPSendOptions("x", to), form)).getCode())
                .isEqualTo(BusinessError.NOT_BOUND);
            assertThat(failure(setExtraOptions(socket, new UDPExtraOptions(), form)).getCode())
                .isEqualTo(BusinessError.NOT_BOUND);
            assertThat(failure(getLocalAddress(socket, form)).getCode()).isEqualTo(BusinessError.NOT_BOUND);
            await(close(socket, form));
            assertThat(await(getState(socket, form))).isEqualTo(new SocketStateBase(false, true, false));
        }
        // A socket born closed is not counted as open.
        assertThat(factory.sockets()).isEmpty();
        assertThat(factory.stats().of(Protocol.UDP).active()).isZero();
    }

}
