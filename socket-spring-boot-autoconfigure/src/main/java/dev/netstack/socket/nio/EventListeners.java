package dev.netstack.socket.nio;

import java.util.Arrays;

import dev.netstack.socket.Callback;
import dev.netstack.socket.SocketEventType;

/**
 * The callbacks registered with {@code on()}, per event type.
 *
 * <p>Copy-on-write: {@code on}/{@code off} are rare and may come from any thread, while the event loop reads the
 * arrays for every event. Readers take the current array without a lock or an iterator.
 */
final class EventListeners {

    private static final Callback<?>[] NONE = new Callback<?>[0];

    /** No callback of any type: shared by every socket until its first {@code on()}, never written to. */
    private static final Callback<?>[][] EMPTY = emptyTable();

    private volatile Callback<?>[][] byType = EMPTY;

    private static Callback<?>[][] emptyTable() {
        Callback<?>[][] empty = new Callback<?>[SocketEventType.values().size()][];
        Arrays.fill(empty, NONE);
        return empty;
    }

    synchronized void add(SocketEventType<?> type, Callback<?> callback) {
        Callback<?>[] current = this.byType[type.ordinal()];
        for (Callback<?> registered : current) {
            if (registered == callback) {
                return;
            }
        }
        Callback<?>[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = callback;
        replace(type, grown);
    }

    synchronized void remove(SocketEventType<?> type, Callback<?> callback) {
        Callback<?>[] current = this.byType[type.ordinal()];
        for (int i = 0; i < current.length; i++) {
            if (current[i] == callback) {
                Callback<?>[] shrunk = new Callback<?>[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                replace(type, shrunk);
                return;
            }
        }
    }

    synchronized void clear(SocketEventType<?> type) {
        replace(type, NONE);
    }

    /**
     * Returns the callbacks of a type in registration order. The array must not be changed.
     * @param type the event type
     * @return the callbacks, possibly none
     */
    Callback<?>[] get(SocketEventType<?> type) {
        return this.byType[type.ordinal()];
    }

    private void replace(SocketEventType<?> type, Callback<?>[] callbacks) {
        Callback<?>[][] next = this.byType.clone();
        next[type.ordinal()] = callbacks;
        this.byType = next;
    }

}
