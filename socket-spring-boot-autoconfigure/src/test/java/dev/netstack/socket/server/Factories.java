package dev.netstack.socket.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The factories of a test: two event loops unless the test says otherwise, threads named after the test class (so
 * that a test can find and count them), and every factory closed after each test. Register it as an instance field
 * with {@code @RegisterExtension}.
 */
public final class Factories implements AfterEachCallback {

    private final String threadNamePrefix;

    private final List<NioSocketFactory> made = new CopyOnWriteArrayList<>();

    public Factories(Class<?> testClass) {
        this.threadNamePrefix = "socket-io-" + testClass.getSimpleName() + "-";
    }

    /** A factory with the defaults and two loops. */
    public NioSocketFactory make() {
        return make(settings -> {
        });
    }

    /**
     * A factory with two loops and what the test sets on top.
     * @param settings changes the builder, which may also change the number of loops
     */
    public NioSocketFactory make(Consumer<SocketSettings.Builder> settings) {
        SocketSettings.Builder builder = SocketSettings.builder().ioThreads(2).threadNamePrefix(this.threadNamePrefix);
        settings.accept(builder);
        NioSocketFactory factory = NioSocketFactory.create(builder.build());
        this.made.add(factory);
        return factory;
    }

    /** The prefix of the names of these factories' threads. */
    String threadNamePrefix() {
        return this.threadNamePrefix;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.made.forEach(NioSocketFactory::close);
        this.made.clear();
    }

}
