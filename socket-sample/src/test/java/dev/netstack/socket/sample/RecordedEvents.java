package dev.netstack.socket.sample;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.netstack.socket.event.SocketEvent;
import dev.netstack.socket.event.SocketMessageEvent;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;

import static org.awaitility.Awaitility.await;

/**
 * Records every socket application event of the application under test, as a listener of the application would
 * see them, so that a test can wait for the one it expects.
 */
@TestComponent
class RecordedEvents {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<SocketEvent> events = new ArrayList<>();

    @EventListener
    synchronized void record(SocketEvent event) {
        this.events.add(event);
    }

    /**
     * Waits for an event of a type that matches.
     * @param type the event type
     * @param condition what it must satisfy
     * @param <T> the event type
     * @return the first such event, recorded before the call or after it
     */
    <T extends SocketEvent> T awaitEvent(Class<T> type, Predicate<T> condition) {
        return await()
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> find(type, condition), Optional::isPresent)
            .orElseThrow();
    }

    /**
     * Waits until the bytes that a socket received, in order, read as the expected text.
     * @param socketId the socket
     * @param expected the text of all its messages so far
     */
    void awaitReceivedText(long socketId, String expected) {
        await().atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> receivedText(socketId), expected::equals);
    }

    private synchronized <T extends SocketEvent> Optional<T> find(Class<T> type, Predicate<T> condition) {
        return this.events.stream().filter(type::isInstance).map(type::cast).filter(condition).findFirst();
    }

    private synchronized String receivedText(long socketId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        this.events.stream()
            .filter((event) -> event instanceof SocketMessageEvent && event.getSocketId() == socketId)
            .forEach((event) -> bytes.writeBytes(((SocketMessageEvent) event).getMessage().bytes()));
        return bytes.toString(StandardCharsets.UTF_8);
    }

}
