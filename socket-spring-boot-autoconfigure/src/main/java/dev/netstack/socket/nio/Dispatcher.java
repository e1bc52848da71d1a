package dev.netstack.socket.nio;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;

/**
 * Delivers every callback, event and observer call of a factory's sockets. A callback that throws is logged and
 * counted here, and the caller (usually the event loop) carries on: user code can never kill a loop thread.
 */
final class Dispatcher {

    private static final System.Logger logger = Loggers.of(Dispatcher.class);

    private final SocketStats stats;

    private final SocketObserver[] observers;

    /** Whether an observer receives 'message' events: then every stream connection has a consumer from birth. */
    private final boolean observesMessages;

    Dispatcher(SocketStats stats, SocketObserver[] observers) {
        this.stats = stats;
        this.observers = observers;
        boolean any = false;
        for (SocketObserver observer : observers) {
            any |= observer.observesMessages();
        }
        this.observesMessages = any;
    }

    /**
     * Tells whether an observer receives 'message' events.
     * @return {@code true} when some observer consumes messages
     */
    boolean observesMessages() {
        return this.observesMessages;
    }

    /**
     * Emits an event: the socket's callbacks in registration order, then the observers.
     * @param socket the socket
     * @param type the event type
     * @param payload the payload
     * @param <T> the payload type
     */
    @SuppressWarnings("unchecked")
    <T> void emit(NioSocket socket, SocketEventType<T> type, T payload) {
        if (type == SocketEventType.ERROR) {
            socket.stats().error(((BusinessError) payload).getCode());
        }
        for (Callback<?> callback : socket.listeners().get(type)) {
            try {
                ((Callback<T>) callback).handle(payload);
            }
            catch (Throwable ex) {
                failed(socket, "'" + type.name() + "' callback", ex);
            }
        }
        for (SocketObserver observer : this.observers) {
            try {
                observer.eventEmitted(socket, type, payload);
            }
            catch (Throwable ex) {
                failed(socket, "observer of '" + type.name() + "'", ex);
            }
        }
    }

    /**
     * Delivers the result of an operation.
     * @param socket the socket
     * @param callback the caller's callback
     * @param error the failure, or {@code null}
     * @param value the result on success
     * @param <T> the result type
     */
    <T> void complete(NioSocket socket, AsyncCallback<T> callback, BusinessError error, T value) {
        if (error != null) {
            socket.stats().error(error.getCode());
        }
        try {
            callback.onResult(error, value);
        }
        catch (Throwable ex) {
            failed(socket, "result callback", ex);
        }
    }

    /**
     * Tells the observers that a socket's read batch ended.
     * @param socket the socket
     */
    void batchEnded(NioSocket socket) {
        for (SocketObserver observer : this.observers) {
            try {
                observer.batchEnded(socket);
            }
            catch (Throwable ex) {
                failed(socket, "observer of a read batch", ex);
            }
        }
    }

    /**
     * Tells the observers that a connect attempt ended.
     * @param socket the socket
     * @param durationNanos how long it took
     * @param failure the failure, or {@code null}
     */
    void connectCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
        tellObservers(socket, "observer of connect",
                (observer) -> observer.connectCompleted(socket, durationNanos, failure));
    }

    /**
     * Tells the observers that a TLS handshake ended.
     * @param socket the socket
     * @param durationNanos how long it took
     * @param failure the failure, or {@code null}
     */
    void handshakeCompleted(NioSocket socket, long durationNanos, BusinessError failure) {
        if (failure != null) {
            // Counted here: a server's connection whose handshake fails is never delivered, so no callback counts it.
            socket.stats().error(failure.getCode());
        }
        tellObservers(socket, "observer of a handshake",
                (observer) -> observer.handshakeCompleted(socket, durationNanos, failure));
    }

    /**
     * Tells the observers that a multicast socket joined or left a group.
     * @param socket the socket
     * @param group the group
     * @param joined whether it joined
     */
    void membershipChanged(NioSocket socket, NetAddress group, boolean joined) {
        tellObservers(socket, "observer of a group membership",
                (observer) -> observer.membershipChanged(socket, group, joined));
    }

    /**
     * Calls every observer for a rare event (not per message: the call allocates), each guarded.
     * @param socket the socket
     * @param what who is called, for the log
     * @param call the call
     */
    private void tellObservers(NioSocket socket, String what, Consumer<SocketObserver> call) {
        for (SocketObserver observer : this.observers) {
            try {
                call.accept(observer);
            }
            catch (Throwable ex) {
                failed(socket, what, ex);
            }
        }
    }

    private void failed(NioSocket socket, String what, Throwable ex) {
        this.stats.callbackFailed();
        logger.log(Level.WARNING, "A " + what + " of " + socket + " threw; the socket goes on", ex);
    }

}
