package dev.netstack.socket.nio;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.netstack.socket.AsyncCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send is a task: two with the same socket, bytes and callback are still two, so that taking one back from the
 * loop's queue (as a loop that stops does) takes that one and no other.
 */
class PendingSendTests {

    private final NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void twoEqualLookingSendsAreToldApart() {
        NioSocket socket = (NioSocket) this.factory.constructTCPSocketInstance();
        ByteBuffer data = ByteBuffer.wrap(new byte[] { 1, 2, 3 });
        AsyncCallback<Void> callback = (error, nothing) -> {
        };
        PendingSend first = PendingSend.accept(socket, data, null, callback);
        PendingSend second = PendingSend.accept(socket, data, null, callback);

        assertThat(first).isNotEqualTo(second);
        ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        tasks.add(first);
        tasks.add(second);
        tasks.remove(second);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.peek()).isSameAs(first);

        first.onResult(null, null);
        second.onResult(null, null);
        assertThat(socket.sendCharge).as("every charge given back").isZero();
    }

}
