package dev.netstack.socket.nio;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where the engine's loggers come from. The JDK chooses the backend of {@link System.Logger} from the
 * {@link System.LoggerFinder} services that the system class loader sees, and from nowhere else. A Spring Boot
 * application run with {@code java -jar} keeps its libraries, the SLF4J bridge ({@code slf4j-jdk-platform-logging})
 * among them, on a class loader of its own: the JDK would miss the bridge and send the engine's lines to
 * {@code java.util.logging}, whose shutdown hook drops them while the application is still closing its sockets. So
 * the engine looks on the class loader that loaded it too, which sees what the system class loader sees and more.
 */
final class Loggers {

    /** The finder found next to the engine, or {@code null} to leave the choice to the JDK. */
    private static final System.LoggerFinder FINDER = find();

    private Loggers() {
    }

    /**
     * Returns the logger of an engine class.
     * @param type the class
     * @return its logger, named after it
     */
    static System.Logger of(Class<?> type) {
        return (FINDER != null) ? FINDER.getLogger(type.getName(), type.getModule()) : System.getLogger(type.getName());
    }

    private static System.LoggerFinder find() {
        try {
            return ServiceLoader.load(System.LoggerFinder.class, Loggers.class.getClassLoader()).findFirst().orElse(null);
        }
        catch (ServiceConfigurationError | SecurityException ex) {
            // A broken or forbidden provider: the JDK's own choice still logs.
            return null;
        }
    }

}
