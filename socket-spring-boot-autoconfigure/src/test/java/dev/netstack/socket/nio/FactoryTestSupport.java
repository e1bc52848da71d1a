package dev.netstack.socket.nio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;

/**
 * What the factory tests of this package share: a factory per test, with thread names of its own and the resolver the
 * test chooses, closed after the test with whatever else the test opened. A stand-in resolver is released first, so
 * that no look-up stays held.
 */
abstract class FactoryTestSupport {

    private static final AtomicInteger factories = new AtomicInteger();

    /** Prefix of this test's thread names. */
    final String prefix = "socket-io-" + getClass().getSimpleName() + "-" + factories.incrementAndGet() + "-";

    NioSocketFactory factory;

    StandInLookup lookup;

    /** Closed after the test, after the factory. */
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    NioSocketFactory factory(int ioThreads, HostResolver.Lookup lookup) {
        this.factory = new NioSocketFactory(
                SocketSettings.builder().ioThreads(ioThreads).threadNamePrefix(this.prefix).build(), lookup);
        return this.factory;
    }

    NioSocketFactory standInFactory(int ioThreads, int held) {
        this.lookup = new StandInLookup(held);
        return factory(ioThreads, this.lookup);
    }

    @AfterEach
    void closeEverything() throws Exception {
        if (this.lookup != null) {
            this.lookup.release();
        }
        if (this.factory != null) {
            this.factory.close();
        }
        for (AutoCloseable closeable : this.closeAfter) {
            closeable.close();
        }
    }

}
