package dev.netstack.socket.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records the events of a TCP socket as short strings, in order: {@code connect}, {@code message:5},
 * {@code error:2301104}, {@code close}.
 */
public final class EventLog {

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    private final List<String> taken = new ArrayList<>();

    public static EventLog of(TCPSocket socket) {
        EventLog log = new EventLog();
        socket.on(SocketEventType.CONNECT, nothing -> log.events.add("connect"));
        socket.on(SocketEventType.MESSAGE, message -> log.events.add("message:" + message.size()));
        socket.on(SocketEventType.ERROR, error -> log.events.add("error:" + error.getCode()));
        socket.on(SocketEventType.CLOSE, nothing -> log.events.add("close"));
        return log;
    }

    public void add(String event) {
        this.events.add(event);
    }

    /** Waits for the next event that is not a message, and returns it. */
    public String nextNonMessage() throws InterruptedException {
        while (true) {
            String event = this.events.poll(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an event within %d s after %s", Await.SECONDS, this.taken).isNotNull();
            this.taken.add(event);
            if (!event.startsWith("message:")) {
                return event;
            }
        }
    }

    /** Everything recorded so far, without waiting. */
    public List<String> all() {
        List<String> all = new ArrayList<>(this.taken);
        all.addAll(this.events);
        return all;
    }

    public long count(String event) {
        return all().stream().filter(event::equals).count();
    }

}
