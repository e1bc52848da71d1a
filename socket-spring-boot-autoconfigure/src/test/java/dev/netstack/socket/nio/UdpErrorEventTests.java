package dev.netstack.socket.nio;

import java.lang.reflect.Field;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ErrorCallback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 'error' event of a UDP socket. On Linux an unconnected UDP socket never sees an asynchronous error (the kernel
 * drops ICMP errors for it unless IP_RECVERR is set, which the JDK does not), so loopback cannot make a receive fail;
 * this test makes one fail from inside the engine, by closing the channel under a socket that is still reading.
 */
@Timeout(20)
class UdpErrorEventTests {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final CompletableFuture<BusinessError> observed = new CompletableFuture<>();

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder()
        .ioThreads(1)
        .threadNamePrefix("socket-io-UdpErrorEventTests-")
        .observer(new SocketObserver() {
            @Override
            public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
                if (type == SocketEventType.ERROR) {
                    UdpErrorEventTests.this.seen.add("observer:" + ((BusinessError) payload).getCode());
                    // Observers run after the socket's callbacks: when this completes, every callback has run.
                    UdpErrorEventTests.this.observed.complete((BusinessError) payload);
                }
            }
        })
        .build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void aFailedReceiveIsReportedToEveryErrorCallbackInOrderAndCounted() throws Exception {
        NioUDPSocket socket = (NioUDPSocket) this.factory.constructUDPSocketInstance();
        List<BusinessError> received = new CopyOnWriteArrayList<>();
        ErrorCallback a = error -> {
            this.seen.add("a:" + error.getCode());
            received.add(error);
        };
        ErrorCallback b = error -> this.seen.add("b:" + error.getCode());
        ErrorCallback removed = error -> this.seen.add("removed");
        socket.on(SocketEventType.ERROR, a);
        socket.on(SocketEventType.ERROR, removed);
        socket.on(SocketEventType.ERROR, b);
        socket.on(SocketEventType.ERROR, a);
        socket.off(SocketEventType.ERROR, removed);
        socket.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);

        DatagramChannel channel = field(socket, "channel", DatagramChannel.class);
        SelectionKey key = field(socket, "key", SelectionKey.class);
        socket.loop.execute(() -> {
            Channels.closeQuietly(channel);
            // What the loop does when the selector says the channel is readable.
            socket.handleReady(key, SelectionKey.OP_READ);
        });

        BusinessError error = this.observed.get(10, TimeUnit.SECONDS);
        // Every callback got the same object.
        assertThat(received).containsExactly(error);
        assertThat(error.getCode()).isEqualTo(BusinessError.NOT_BOUND);
        assertThat(error.getMessage()).startsWith("receive failed");
        assertThat(this.seen).containsExactly("a:2301009", "b:2301009", "observer:2301009");
        assertThat(this.factory.stats().of(Protocol.UDP).errors(BusinessError.NOT_BOUND)).isEqualTo(1);
        // The event is not a close: the socket still needs close() and reports it once.
        socket.close().get(10, TimeUnit.SECONDS);
        assertThat(socket.state().isClose()).isTrue();
    }

    private static <T> T field(NioUDPSocket socket, String name, Class<T> type) throws ReflectiveOperationException {
        Field field = NioUDPSocket.class.getDeclaredField(name);
        field.setAccessible(true);
        return type.cast(field.get(socket));
    }

}
