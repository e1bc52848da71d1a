package dev.netstack.socket.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collects the 'message' events of one socket, and the names of the threads that delivered them.
 */
final class Inbox {

    private final BlockingQueue<SocketMessageInfo> messages = new LinkedBlockingQueue<>();

    private final List<String> threads = new ArrayList<>();

    private Inbox() {
    }

    /**
     * Starts collecting the messages of a socket.
     * @param socket the socket
     * @return the inbox
     */
    static Inbox of(UDPSocket socket) {
        Inbox inbox = new Inbox();
        socket.on(SocketEventType.MESSAGE, message -> {
            synchronized (inbox.threads) {
                inbox.threads.add(Thread.currentThread().getName());
            }
            inbox.messages.add(message);
        });
        return inbox;
    }

    /**
     * Waits for the next message.
     * @return the message
     * @throws AssertionError when none arrives in time
     */
    SocketMessageInfo next() throws InterruptedException {
        SocketMessageInfo message = this.messages.poll(UdpTestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(message).as("a message within " + UdpTestSupport.WAIT_SECONDS + " s").isNotNull();
        return message;
    }

    /**
     * Waits for the next {@code count} messages.
     * @param count how many
     * @return them, in arrival order
     */
    List<SocketMessageInfo> next(int count) throws InterruptedException {
        List<SocketMessageInfo> received = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            received.add(next());
        }
        return received;
    }

    /**
     * Returns the messages that arrived and were not taken yet, without waiting.
     * @return them, in arrival order
     */
    List<SocketMessageInfo> drain() {
        List<SocketMessageInfo> left = new ArrayList<>();
        this.messages.drainTo(left);
        return left;
    }

    /**
     * Returns the names of the threads that delivered messages so far.
     * @return a copy
     */
    List<String> threads() {
        synchronized (this.threads) {
            return new ArrayList<>(this.threads);
        }
    }

}
