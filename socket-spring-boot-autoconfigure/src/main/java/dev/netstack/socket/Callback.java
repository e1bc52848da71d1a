package dev.netstack.socket;

/**
 * Receives the events of one {@link SocketEventType}: the seed's {@code Callback<T>}.
 *
 * <p>Runs on the socket's event loop thread, one event at a time and in order; it must not block. A callback that
 * throws is logged and counted, and the socket goes on.
 *
 * @param <T> the type of the event's payload ({@code Void} events pass {@code null})
 */
@FunctionalInterface
public interface Callback<T> {

    /**
     * Called once per event.
     * @param data the payload of the event
     */
    void handle(T data);

}
