package dev.netstack.socket.nio;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.UnaryOperator;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.SocketEventType;

/**
 * What a socket keeps of the callbacks registered with {@code on()}, and the checks of {@code on}/{@code off}.
 *
 * <p>One flat array of (type, callback) pairs in registration order, replaced whole on every change: {@code on} and
 * {@code off} are rare and may come from any thread, while the loop reads the array for every event, without a lock
 * or an iterator. A socket with one 'message' callback, as a server's connection usually has, holds one array of two
 * slots rather than a table of every type. A superclass rather than a field: a socket pays no object of its own.
 */
abstract class EventSource {

    private static final Object[] NONE = new Object[0];

    private static final AtomicReferenceFieldUpdater<EventSource, Object[]> LISTENERS = AtomicReferenceFieldUpdater
        .newUpdater(EventSource.class, Object[].class, "listeners");

    /** Even slots hold the types, odd slots their callbacks; never changed once published. */
    private volatile Object[] listeners = NONE;

    public <T> void on(SocketEventType<T> type, Callback<T> callback) {
        checkType(type);
        Callbacks.requireCallback(callback);
        update((table) -> {
            if (indexOf(table, type, callback) >= 0) {
                return table;
            }
            Object[] grown = Arrays.copyOf(table, table.length + 2);
            grown[table.length] = type;
            grown[table.length + 1] = callback;
            return grown;
        });
    }

    public <T> void off(SocketEventType<T> type, Callback<T> callback) {
        checkType(type);
        Callbacks.requireCallback(callback);
        update((table) -> {
            int at = indexOf(table, type, callback);
            if (at < 0) {
                return table;
            }
            Object[] shrunk = new Object[table.length - 2];
            System.arraycopy(table, 0, shrunk, 0, at);
            System.arraycopy(table, at + 2, shrunk, at, table.length - at - 2);
            return shrunk;
        });
    }

    public void off(SocketEventType<?> type) {
        checkType(type);
        update((table) -> {
            Object[] kept = new Object[table.length];
            int count = 0;
            for (int i = 0; i < table.length; i += 2) {
                if (!sameSlot(table[i], type)) {
                    kept[count++] = table[i];
                    kept[count++] = table[i + 1];
                }
            }
            if (count == table.length) {
                return table;
            }
            return (count == 0) ? NONE : Arrays.copyOf(kept, count);
        });
    }

    /**
     * Replaces the table with a changed copy. A compare-and-set rather than a lock: when two threads change it at
     * once, the loser applies its change again to the winner's table, so that both changes are kept.
     * @param change makes the next table from the current one, or returns it unchanged
     */
    private void update(UnaryOperator<Object[]> change) {
        Object[] current;
        Object[] next;
        do {
            current = this.listeners;
            next = change.apply(current);
        }
        while (next != current && !LISTENERS.compareAndSet(this, current, next));
    }

    private static int indexOf(Object[] table, SocketEventType<?> type, Callback<?> callback) {
        for (int i = 0; i < table.length; i += 2) {
            if (sameSlot(table[i], type) && table[i + 1] == callback) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Tells whether a slot of the table holds a type: by its ordinal, which a server's typed 'connect' shares with
     * {@link SocketEventType#CONNECT}.
     * @param slot an even slot of the table
     * @param type the type
     * @return whether the slot's callback is one of that type
     */
    static boolean sameSlot(Object slot, SocketEventType<?> type) {
        return ((SocketEventType<?>) slot).ordinal() == type.ordinal();
    }

    private void checkType(SocketEventType<?> type) {
        BusinessError inert = inertError();
        if (inert != null) {
            throw inert;
        }
        if (type == null) {
            throw Errors.parameter("event type must not be null");
        }
        if (!emits(type)) {
            throw Errors.parameter("event type '" + type.name() + "' is not emitted by a " + kind());
        }
    }

    /** Drops every callback: the socket handed its connection to another. */
    final void clearListeners() {
        LISTENERS.set(this, NONE);
    }

    /**
     * Tells why this socket takes no call at all any more: it handed its connection to another socket.
     * @return the error that every call but getState fails with, or {@code null} while the socket takes calls
     */
    BusinessError inertError() {
        return null;
    }

    /**
     * Returns the registered callbacks: the callbacks of a type are those at {@code i + 1} where slot {@code i}
     * holds the type, for even {@code i}, in registration order. The array must not be changed.
     * @return the pairs, possibly none
     */
    final Object[] listenerTable() {
        return this.listeners;
    }

    /**
     * Tells whether a callback of a type is registered.
     * @param type the type
     * @return whether one is
     */
    final boolean hasListeners(SocketEventType<?> type) {
        Object[] table = this.listeners;
        for (int i = 0; i < table.length; i += 2) {
            if (sameSlot(table[i], type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether this kind of socket emits an event type, so that {@code on}/{@code off} refuse the others.
     * @param type the type, not {@code null}
     * @return whether callbacks of that type can ever run
     */
    abstract boolean emits(SocketEventType<?> type);

    /**
     * Names this kind of socket in messages.
     * @return e.g. {@code "TCP socket"}
     */
    abstract String kind();

}
