package dev.netstack.socket.nio;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;

/**
 * Looks host names up for a factory's sockets, off the event loops, on a few daemon threads that exist only while
 * look-ups are needed.
 */
final class HostResolver {

    /** Look-ups in flight at once; more wait in a bounded queue. */
    private static final int THREADS = 4;

    private static final int QUEUE = 1024;

    /** The system resolver: the hosts file, then DNS, as the operating system is set up. */
    static final Lookup SYSTEM = InetAddress::getAllByName;

    private final Lookup lookup;

    private final ThreadPoolExecutor executor;

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
        try {
            this.executor.execute(() -> {
                try {
                    result.complete(new InetSocketAddress(pick(address.address(), address.family()), address.port()));
                }
                catch (BusinessError ex) {
                    result.completeExceptionally(ex);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            result.completeExceptionally(new BusinessError(BusinessError.HOST_NOT_RESOLVED,
                    "cannot resolve host '" + address.address() + "' now: " + ex.getMessage(), ex));
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
     * Stops the threads.
     */
    void close() {
        this.executor.shutdownNow();
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
