package dev.netstack.socket.nio;

import java.net.UnixDomainSocketAddress;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.Callback;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalSocketServer;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketStateBase;

/**
 * A {@link LocalSocketServer}: the application's side of a {@link LocalServerChannel}.
 */
public final class NioLocalSocketServer implements LocalSocketServer {

    private final LocalServerChannel server;

    NioLocalSocketServer(LocalServerChannel server) {
        this.server = server;
        server.facade(this);
    }

    /**
     * Returns the engine's server behind this object, as events, meters and declared servers see it.
     * @return the server
     */
    public NioServerSocket<?> socket() {
        return this.server;
    }

    private boolean unavailable(AsyncCallback<?> callback) {
        return LocalPaths.refuseUnavailable(this.server, callback);
    }

    @Override
    public CompletableFuture<Void> listen(LocalAddress address) {
        return Callbacks.future(callback -> listen(address, callback));
    }

    @Override
    public void listen(LocalAddress address, AsyncCallback<Void> callback) {
        if (unavailable(callback)) {
            return;
        }
        if (this.server.isCloseRequested()) {
            this.server.fail(callback, new BusinessError(BusinessError.SERVER_CLOSED, "server is closed: make a new one"));
            return;
        }
        UnixDomainSocketAddress local = LocalPaths.parseFor(this.server, address, callback);
        if (local != null) {
            this.server.onLoop(() -> this.server.listen(local, callback), callback);
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        return Callbacks.future(callback -> close(callback));
    }

    @Override
    public void close(AsyncCallback<Void> callback) {
        if (!unavailable(callback)) {
            this.server.close(callback);
        }
    }

    @Override
    public CompletableFuture<SocketStateBase> getState() {
        return Callbacks.future(callback -> getState(callback));
    }

    @Override
    public void getState(AsyncCallback<SocketStateBase> callback) {
        if (!unavailable(callback)) {
            this.server.getState(callback);
        }
    }

    @Override
    public CompletableFuture<Void> setExtraOptions(ExtraOptions options) {
        return Callbacks.future(callback -> setExtraOptions(options, callback));
    }

    @Override
    public void setExtraOptions(ExtraOptions options, AsyncCallback<Void> callback) {
        if (!unavailable(callback)) {
            this.server.setExtraOptions(options, LocalPaths::streamOptions, this.server::applyOnLoop, callback);
        }
    }

    @Override
    public CompletableFuture<ExtraOptions> getExtraOptions() {
        return Callbacks.future(callback -> getExtraOptions(callback));
    }

    @Override
    public void getExtraOptions(AsyncCallback<ExtraOptions> callback) {
        if (!unavailable(callback) && !this.server.refuseCall(callback)) {
            this.server.onLoop(() -> NioLocalSocket.extraOptionsOnLoop(this.server, callback), callback);
        }
    }

    @Override
    public CompletableFuture<String> getLocalAddress() {
        return Callbacks.future(callback -> getLocalAddress(callback));
    }

    @Override
    public void getLocalAddress(AsyncCallback<String> callback) {
        if (!unavailable(callback)) {
            this.server.getLocalAddress(LocalStreamFacade.pathOf(callback));
        }
    }

    @Override
    public <T> void on(SocketEventType<T> type, Callback<T> callback) {
        this.server.on(type, callback);
    }

    @Override
    public <T> void off(SocketEventType<T> type, Callback<T> callback) {
        this.server.off(type, callback);
    }

    @Override
    public void off(SocketEventType<?> type) {
        this.server.off(type);
    }

    @Override
    public String toString() {
        return this.server.toString();
    }

}
