package dev.netstack.socket.nio;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;

/**
 * Looks host names up for a factory's sockets, off the event loops, on a few daemon threads that exist only while
 * look-ups are needed. It knows every look-up that has not ended, so that closing the factory can end them: a look-up
 * stuck in the system resolver cannot be stopped, but what waits for it must not wait for ever.
 */
final class HostResolver {

    /** Look-ups in flight at once; more wait in a bounded queue. */
    private static final int THREADS = 4;

    private static final int QUEUE = 1024;

    /** The system resolver: the hosts file, then DNS, as the operating system is set up. */
    static final Lookup SYSTEM = InetAddress::getAllByName;

    private final Lookup lookup;

    private final ThreadPoolExecutor executor;

    /** The look-ups not yet ended, with their host names. */
    private final Map<CompletableFuture<InetSocketAddress>, String> pending = new ConcurrentHashMap<>();

    private volatile boolean closed;

    HostResolver(String threadNamePrefix, Lookup lookup) {
        this.lookup = lookup;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, threadNamePrefix + "resolver-" + count.incrementAndGet());
                    // Daemon: a look-up stuck in the system resolver must not keep the JVM alive.
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Looks a host name up.
     * @param address a checked address whose text is a host name
     * @return completes with an address of the requested family, or with a {@link BusinessError}
     */
    CompletableFuture<InetSocketAddress> resolve(NetAddress address) {
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        String host = address.address();
        if (this.closed) {
            result.completeExceptionally(closedBefore(host));
            return result;
        }
        // Known before it is queued: close() either finds it here or makes execute() refuse it.
        this.pending.put(result, host);
        try {
            this.executor.execute(() -> {
                try {
                    result.complete(new InetSocketAddress(pick(host, address.family()), address.port()));
                }
                catch (RuntimeException ex) {
                    result.completeExceptionally((ex instanceof BusinessError) ? ex : new BusinessError(
                            BusinessError.HOST_NOT_RESOLVED, "host '" + host + "' could not be resolved: " + ex, ex));
                }
                finally {
                    this.pending.remove(result);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            this.pending.remove(result);
            result.completeExceptionally(this.closed ? closedBefore(host) : new BusinessError(
                    BusinessError.HOST_NOT_RESOLVED, "cannot resolve host '" + host + "' now: " + ex.getMessage(), ex));
        }
        return result;
    }

    private InetAddress pick(String host, int family) {
        try {
            for (InetAddress candidate : this.lookup.lookup(host)) {
                if ((family == NetAddress.IPV4) == (candidate instanceof Inet4Address)) {
                    return candidate;
                }
            }
            throw new BusinessError(BusinessError.HOST_NOT_RESOLVED,
                    "host '" + host + "' has no " + Addresses.familyName(family) + " address");
        }
        catch (UnknownHostException ex) {
            throw new BusinessError(BusinessError.HOST_NOT_RESOLVED, "host '" + host + "' could not be resolved", ex);
        }
    }

    /**
     * Stops the threads and ends every look-up that has not ended, and every later one, with 2301009. A look-up still
     * running in the system resolver goes on until the resolver answers, but its answer is no longer awaited.
     */
    void close() {
        this.closed = true;
        this.executor.shutdownNow();
        this.pending.forEach((lookUp, host) -> lookUp.completeExceptionally(closedBefore(host)));
    }

    private static BusinessError closedBefore(String host) {
        return new BusinessError(BusinessError.NOT_BOUND,
                "socket is closed: its factory was closed before host '" + host + "' was resolved");
    }

    /**
     * How a host name becomes addresses: the system resolver, or a stand-in that tests control.
     */
    @FunctionalInterface
    interface Lookup {

        /**
         * Looks a host name up.
         * @param host the name
         * @return its addresses
         * @throws UnknownHostException when it has none
         */
        InetAddress[] lookup(String host) throws UnknownHostException;

    }

}
