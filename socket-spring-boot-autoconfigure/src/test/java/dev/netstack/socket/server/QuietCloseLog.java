package dev.netstack.socket.server;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Silences the line that the engine logs at INFO for every socket it closes, for the test classes of thousands of
 * connections, whose console would otherwise cost more time than their sockets. Use with {@code @ExtendWith}.
 */
final class QuietCloseLog implements BeforeAllCallback, AfterAllCallback {

    /** Held here: the logging system keeps only weak references to loggers, and a collected one forgets its level. */
    private static final Logger SOCKET_LOG = Logger.getLogger("dev.netstack.socket.nio.NioSocket");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietCloseLog.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // A level of null (inherit) cannot be stored: keep it in a one-element array.
        context.getStore(NAMESPACE).put("level", new Level[] { SOCKET_LOG.getLevel() });
        SOCKET_LOG.setLevel(Level.WARNING);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Level[] before = context.getStore(NAMESPACE).get("level", Level[].class);
        SOCKET_LOG.setLevel(before[0]);
    }

}
