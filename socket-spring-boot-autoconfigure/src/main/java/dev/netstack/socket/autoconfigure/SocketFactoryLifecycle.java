package dev.netstack.socket.autoconfigure;

import java.time.Duration;

import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.nio.NioSocketFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the auto-configured socket factory when the context closes: every socket flushes the sends it accepted (up
 * to the shutdown timeout) and emits 'close', then the event loop threads stop.
 *
 * <p>The factory runs from the moment it is made, so that sockets work in {@code @PostConstruct}; its non-daemon
 * loop threads keep an application whose only work is a socket alive until then. It stops before the event
 * publisher, so that the 'close' events are still published.
 */
final class SocketFactoryLifecycle implements SmartLifecycle {

    private final NioSocketFactory factory;

    private final Duration shutdownTimeout;

    private volatile boolean running;

    SocketFactoryLifecycle(NioSocketFactory factory, Duration shutdownTimeout) {
        this.factory = factory;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        this.factory.close(this.shutdownTimeout);
    }

    @Override
    public boolean isRunning() {
        return this.running && !this.factory.isClosed();
    }

    @Override
    public int getPhase() {
        return SocketEventPublisher.PHASE + 1;
    }

    /**
     * Not stopped by {@code context.stop()}: a closed factory cannot start again, so it closes with the context only.
     * @return {@code false}
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

}
