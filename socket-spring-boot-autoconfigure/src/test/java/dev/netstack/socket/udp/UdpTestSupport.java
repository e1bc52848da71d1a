package dev.netstack.socket.udp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the UDP tests share: a factory per test with its own thread names (closed after each test), waiting on
 * results with a generous bound, and the callback form of an operation turned into a future.
 */
@Timeout(20)
abstract class UdpTestSupport {

    /** How long any single result may take: generous, because the build machine is small and busy. */
    static final long WAIT_SECONDS = 10;

    static final NetAddress ANY_V4 = new NetAddress("127.0.0.1", 0, NetAddress.IPV4);

    static final NetAddress ANY_V6 = new NetAddress("::1", 0, NetAddress.IPV6);

    private static final AtomicInteger factories = new AtomicInteger();

    /** Prefix of this test's loop threads: every result and event callback must run on one of them. */
    String threadPrefix;

    NioSocketFactory factory;

    /**
     * Starts this test's factory (two loops, so that sockets of one test land on different threads).
     * @param settings the builder to finish
     * @return the factory, closed after the test
     */
    NioSocketFactory startFactory(SocketSettings.Builder settings) {
        if (this.factory != null) {
            this.factory.close();
        }
        this.threadPrefix = "socket-io-" + getClass().getSimpleName() + "-" + factories.incrementAndGet() + "-";
        this.factory = NioSocketFactory.create(settings.ioThreads(2).threadNamePrefix(this.threadPrefix).build());
        return this.factory;
    }

    NioSocketFactory factory() {
        if (this.factory == null) {
            startFactory(SocketSettings.builder());
        }
        return this.factory;
    }

    @AfterEach
    void closeFactory() {
        if (this.factory != null) {
            this.factory.close();
        }
    }

    UDPSocket newSocket() {
        return factory().constructUDPSocketInstance();
    }

    UDPSocket boundSocket(NetAddress address) {
        UDPSocket socket = newSocket();
        await(socket.bind(address));
        return socket;
    }

    static NetAddress localAddress(UDPSocket socket) {
        return await(socket.getLocalAddress());
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            throw new AssertionError("expected success, got " + ex.getCause(), ex.getCause());
        }
        catch (InterruptedException | TimeoutException ex) {
            throw new AssertionError("no result within " + WAIT_SECONDS + " s", ex);
        }
    }

    /**
     * Waits for a failure and returns it.
     * @param future the result
     * @return the error it failed with
     */
    static BusinessError failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a BusinessError, but the operation succeeded with " + value);
        }
        catch (ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(BusinessError.class);
            return (BusinessError) ex.getCause();
        }
        catch (InterruptedException | TimeoutException ex) {
            throw new AssertionError("no result within " + WAIT_SECONDS + " s", ex);
        }
    }

    /**
     * Runs the callback form of an operation: it must not throw, must call back exactly once, and on a thread of
     * this test's event loops.
     * @param call invokes the operation with the given callback
     * @param <T> the result type
     * @return completes with what the callback received
     */
    <T> CompletableFuture<T> viaCallback(Consumer<AsyncCallback<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        String prefix = this.threadPrefix;
        AsyncCallback<T> callback = (error, value) -> {
            String thread = Thread.currentThread().getName();
            if (calls.incrementAndGet() != 1) {
                result.obtrudeException(new AssertionError("callback called more than once"));
            }
            else if (!thread.startsWith(prefix) && !this.factory.isClosed()) {
                // Once the factory has stopped there is no loop thread left to deliver on.
                result.completeExceptionally(new AssertionError(
                        "callback ran on thread '" + thread + "', not on a loop thread " + prefix + "*"));
            }
            else if (error != null) {
                result.completeExceptionally(error);
            }
            else {
                result.complete(value);
            }
        };
        assertThatCode(() -> call.accept(callback)).as("the callback form must not throw").doesNotThrowAnyException();
        return result;
    }

    /** The seed's two forms of every asynchronous method. */
    enum Form {
        PROMISE, CALLBACK
    }

    CompletableFuture<Void> bind(UDPSocket socket, NetAddress address, Form form) {
        return (form == Form.PROMISE) ? socket.bind(address) : viaCallback(cb -> socket.bind(address, cb));
    }

    CompletableFuture<Void> send(UDPSocket socket, UDPSendOptions options, Form form) {
        return (form == Form.PROMISE) ? socket.send(options) : viaCallback(cb -> socket.send(options, cb));
    }

    CompletableFuture<Void> close(UDPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.close() : viaCallback(socket::close);
    }

    CompletableFuture<SocketStateBase> getState(UDPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getState() : viaCallback(socket::getState);
    }

    CompletableFuture<Void> setExtraOptions(UDPSocket socket, UDPExtraOptions options, Form form) {
        return (form == Form.PROMISE) ? socket.setExtraOptions(options)
                : viaCallback(cb -> socket.setExtraOptions(options, cb));
    }

    CompletableFuture<NetAddress> getLocalAddress(UDPSocket socket, Form form) {
        return (form == Form.PROMISE) ? socket.getLocalAddress() : viaCallback(socket::getLocalAddress);
    }

}
