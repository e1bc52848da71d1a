package dev.netstack.socket.nio;

import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.Callback;
import dev.netstack.socket.Framing;
import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;

/**
 * What the application's two local stream objects share ({@link NioLocalSocket}, {@link NioLocalSocketConnection}):
 * each forwards to its {@link LocalStreamSocket}, whose loop delivers every result and event.
 */
abstract class LocalStreamFacade {

    final LocalStreamSocket stream;

    LocalStreamFacade(LocalStreamSocket stream) {
        this.stream = stream;
        stream.facade(this);
    }

    /**
     * Returns the engine's socket behind this object, as events and meters see it.
     * @return the socket
     */
    public NioSocket socket() {
        return this.stream;
    }

    /**
     * Fails a call where the platform has no Unix domain sockets.
     * @param callback the caller's callback
     * @return {@code true} when the call was refused and the caller must return
     */
    boolean unavailable(AsyncCallback<?> callback) {
        return LocalPaths.refuseUnavailable(this.stream, callback);
    }

    public CompletableFuture<Void> send(LocalSendOptions options) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        send(options, Callbacks.completing(result));
        return result;
    }

    public void send(LocalSendOptions options, AsyncCallback<Void> callback) {
        if (unavailable(callback) || this.stream.refuseCall(callback, options)) {
            return;
        }
        this.stream.send(options.data(), options.encoding(), callback);
    }

    public CompletableFuture<Void> close() {
        return Callbacks.future(callback -> close(callback));
    }

    public void close(AsyncCallback<Void> callback) {
        if (!unavailable(callback)) {
            this.stream.close(callback);
        }
    }

    public CompletableFuture<SocketStateBase> getState() {
        return Callbacks.future(callback -> getState(callback));
    }

    public void getState(AsyncCallback<SocketStateBase> callback) {
        if (!unavailable(callback)) {
            this.stream.getState(callback);
        }
    }

    public CompletableFuture<String> getLocalAddress() {
        return Callbacks.future(callback -> getLocalAddress(callback));
    }

    public void getLocalAddress(AsyncCallback<String> callback) {
        if (!unavailable(callback)) {
            this.stream.getLocalAddress(pathOf(callback));
        }
    }

    /**
     * Adapts a path callback to the engine's address, whose text is the path.
     * @param callback the caller's callback
     * @return a callback of the engine's form
     */
    static AsyncCallback<NetAddress> pathOf(AsyncCallback<String> callback) {
        return (error, address) -> callback.onResult(error, (address != null) ? address.address() : null);
    }

    public void setFraming(Framing framing) {
        this.stream.setFraming(framing);
    }

    public <T> void on(SocketEventType<T> type, Callback<T> callback) {
        this.stream.on(type, callback);
    }

    public <T> void off(SocketEventType<T> type, Callback<T> callback) {
        this.stream.off(type, callback);
    }

    public void off(SocketEventType<?> type) {
        this.stream.off(type);
    }

    @Override
    public String toString() {
        return this.stream.toString();
    }

}
