package dev.netstack.socket.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Assumptions;

/**
 * Captures what one engine logger writes. The engine logs through {@link System.Logger}, which the JDK backs with
 * {@code java.util.logging} unless the class path brings another backend; tests that need the records are skipped,
 * saying why, in that case.
 */
public final class LogRecords extends Handler implements AutoCloseable {

    private final Logger logger;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogRecords(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Starts capturing a logger's records.
     * @param name the logger's name, e.g. the engine class that logs
     * @return the capture; close it to stop
     */
    public static LogRecords of(String name) {
        String finder = System.LoggerFinder.getLoggerFinder().getClass().getName();
        Assumptions.assumeTrue(finder.startsWith("sun.util.logging") || finder.startsWith("jdk.internal.logger"),
                "skipped: System.Logger is backed by " + finder + ", not java.util.logging, so its records cannot be"
                        + " captured here");
        // Kept in a field: java.util.logging holds loggers weakly, and a collected logger would lose the handler.
        return new LogRecords(Logger.getLogger(name));
    }

    /** The records so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(this.records);
    }

    @Override
    public void publish(LogRecord record) {
        this.records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        this.logger.removeHandler(this);
    }

}
