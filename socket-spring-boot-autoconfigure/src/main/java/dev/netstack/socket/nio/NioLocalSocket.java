package dev.netstack.socket.nio;

import java.net.UnixDomainSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.LocalConnectOptions;
import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.TCPExtraOptions;

/**
 * A {@link LocalSocket}: the application's side of a client {@link LocalStreamSocket}. The channel is opened by
 * {@code bind} or {@code connect}, whichever comes first; connect waits for OP_CONNECT under a loop timer.
 */
public final class NioLocalSocket extends LocalStreamFacade implements LocalSocket {

    NioLocalSocket(LocalStreamSocket stream) {
        super(stream);
    }

    @Override
    public CompletableFuture<Void> bind(LocalAddress address) {
        return Callbacks.future(callback -> bind(address, callback));
    }

    @Override
    public void bind(LocalAddress address, AsyncCallback<Void> callback) {
        if (unavailable(callback) || this.stream.refuseCall(callback)) {
            return;
        }
        UnixDomainSocketAddress local = LocalPaths.parseFor(this.stream, address, callback);
        if (local != null) {
            this.stream.onLoop(() -> this.stream.bindOnLoop(local, callback), callback);
        }
    }

    @Override
    public CompletableFuture<Void> connect(LocalConnectOptions options) {
        return Callbacks.future(callback -> connect(options, callback));
    }

    @Override
    public void connect(LocalConnectOptions options, AsyncCallback<Void> callback) {
        if (unavailable(callback) || this.stream.refuseCall(callback, options)) {
            return;
        }
        if (options.timeout() < 0) {
            this.stream.fail(callback, Errors.parameter("timeout " + options.timeout()
                    + " ms must not be negative (0 means the default)"));
            return;
        }
        UnixDomainSocketAddress target = LocalPaths.parseFor(this.stream, options.address(), callback);
        if (target == null) {
            return;
        }
        long timeoutNanos = (options.timeout() > 0) ? TimeUnit.MILLISECONDS.toNanos(options.timeout())
                : this.stream.factory.settings().connectTimeout().toNanos();
        this.stream.onLoop(() -> this.stream.connectOnLoop(target, timeoutNanos, callback), callback);
    }

    @Override
    public CompletableFuture<Void> setExtraOptions(ExtraOptions options) {
        return Callbacks.future(callback -> setExtraOptions(options, callback));
    }

    @Override
    public void setExtraOptions(ExtraOptions options, AsyncCallback<Void> callback) {
        if (!unavailable(callback)) {
            this.stream.setExtraOptions(options, LocalPaths::streamOptions,
                    (copied, done) -> this.stream.applyOnLoop((TCPExtraOptions) copied, done), callback);
        }
    }

    @Override
    public CompletableFuture<ExtraOptions> getExtraOptions() {
        return Callbacks.future(callback -> getExtraOptions(callback));
    }

    @Override
    public void getExtraOptions(AsyncCallback<ExtraOptions> callback) {
        if (!unavailable(callback) && !this.stream.refuseCall(callback)) {
            this.stream.onLoop(() -> extraOptionsOnLoop(this.stream, callback), callback);
        }
    }

    /**
     * Loop only: reads a socket's options back from its channel, or fails with 2301009 when it has none.
     * @param socket the socket
     * @param callback receives the options
     */
    static void extraOptionsOnLoop(NioSocket socket, AsyncCallback<ExtraOptions> callback) {
        var effective = socket.readOptions();
        if (effective.isEmpty()) {
            socket.fail(callback, new BusinessError(BusinessError.NOT_BOUND, socket.kind()
                    + " has no channel: call " + ((socket instanceof LocalServerChannel) ? "listen()" : "bind() or connect()")
                    + " before getExtraOptions()"));
            return;
        }
        socket.succeed(callback, LocalPaths.extraOptions(effective));
    }

}
