package dev.netstack.socket.nio;

import java.nio.channels.SelectionKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;

/**
 * A {@link TCPSocket} on a non-blocking socket channel. Not built yet: every operation but close and getState fails
 * with an internal error.
 */
final class NioTCPSocket extends NioSocket implements TCPSocket, ChannelHandler {

    NioTCPSocket(long id, EventLoop loop, NioSocketFactory factory) {
        super(id, loop, factory, Protocol.TCP);
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    private <T> CompletableFuture<T> notBuilt() {
        return CompletableFuture.failedFuture(new BusinessError(BusinessError.INTERNAL_ERROR, "TCP is not built yet"));
    }

    private void notBuilt(AsyncCallback<?> callback) {
        requireCallback(callback);
        fail(callback, new BusinessError(BusinessError.INTERNAL_ERROR, "TCP is not built yet"));
    }

    @Override
    public CompletableFuture<Void> bind(NetAddress address) {
        return notBuilt();
    }

    @Override
    public void bind(NetAddress address, AsyncCallback<Void> callback) {
        notBuilt(callback);
    }

    @Override
    public CompletableFuture<Void> connect(TCPConnectOptions options) {
        return notBuilt();
    }

    @Override
    public void connect(TCPConnectOptions options, AsyncCallback<Void> callback) {
        notBuilt(callback);
    }

    @Override
    public CompletableFuture<Void> send(TCPSendOptions options) {
        return notBuilt();
    }

    @Override
    public void send(TCPSendOptions options, AsyncCallback<Void> callback) {
        notBuilt(callback);
    }

    @Override
    public CompletableFuture<NetAddress> getRemoteAddress() {
        return notBuilt();
    }

    @Override
    public void getRemoteAddress(AsyncCallback<NetAddress> callback) {
        notBuilt(callback);
    }

    @Override
    public CompletableFuture<Void> setExtraOptions(TCPExtraOptions options) {
        return notBuilt();
    }

    @Override
    public void setExtraOptions(TCPExtraOptions options, AsyncCallback<Void> callback) {
        notBuilt(callback);
    }

    @Override
    Map<String, Object> readOptions() {
        return Map.of();
    }

    @Override
    void beginClose() {
        finishClose();
    }

    @Override
    void closeChannel() {
    }

    @Override
    public void handleReady(SelectionKey key, int readyOps) {
    }

    @Override
    public void loopStopped() {
        finishClose();
    }

    @Override
    public void keyChanged(SelectionKey key) {
    }

}
