package dev.netstack.socket.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.tcp.Await;
import dev.netstack.socket.tcp.EventLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server tests share: a server listening on loopback, its accepted connections as a queue, the two forms of
 * a call, reading from plain JDK peers, and the counts a leak would grow.
 */
final class ServerPeers {

    private static final Path FDS = Path.of("/proc/self/fd");

    private ServerPeers() {
    }

    /** The two forms of every asynchronous method. */
    enum Form {

        PROMISE, CALLBACK;

        /** Calls the form this constant names and returns its result as a future. */
        <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> promise, Consumer<AsyncCallback<T>> callback) {
            return (this == PROMISE) ? promise.get() : Await.callback(callback);
        }

    }

    /** Listens on 127.0.0.1, port 0, and returns the address the server got. */
    static NetAddress listen(TCPSocketServer server) throws Exception {
        Await.result(server.listen(new NetAddress("127.0.0.1", 0)));
        return Await.result(server.getLocalAddress());
    }

    /** Collects the connections a server hands to its 'connect' callbacks. */
    static LinkedBlockingQueue<TCPSocketConnection> accepted(TCPSocketServer server) {
        LinkedBlockingQueue<TCPSocketConnection> accepted = new LinkedBlockingQueue<>();
        server.on(TCPSocketServer.CONNECT, accepted::add);
        return accepted;
    }

    /** Takes the next accepted connection, waiting a bounded time. */
    static TCPSocketConnection next(LinkedBlockingQueue<TCPSocketConnection> accepted) throws InterruptedException {
        TCPSocketConnection connection = accepted.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(connection).as("a connection accepted within %d s", Await.SECONDS).isNotNull();
        return connection;
    }

    /** Makes a connection send back every chunk it reads. */
    static void echo(TCPSocketConnection connection) {
        connection.on(SocketEventType.MESSAGE, message -> connection.send(new TCPSendOptions(message.bytes())));
    }

    /** Records a connection's events in order: {@code message:N}, {@code error:CODE}, {@code close}. */
    static EventLog log(TCPSocketConnection connection) {
        EventLog log = new EventLog();
        connection.on(SocketEventType.MESSAGE, message -> log.add("message:" + message.size()));
        connection.on(SocketEventType.ERROR, error -> log.add("error:" + error.getCode()));
        connection.on(SocketEventType.CLOSE, nothing -> log.add("close"));
        return log;
    }

    /** Reads exactly {@code size} bytes; fails at an early end of the stream. */
    static byte[] readExactly(InputStream in, int size) throws IOException {
        byte[] bytes = in.readNBytes(size);
        assertThat(bytes.length).as("bytes before the end of the stream").isEqualTo(size);
        return bytes;
    }

    /** Whether this platform lets a test count descriptors. */
    static boolean descriptorsCountable() {
        return Files.isDirectory(FDS);
    }

    /** The open file descriptors of this process. */
    static long descriptors() {
        try (Stream<Path> entries = Files.list(FDS)) {
            return entries.count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The live threads whose names start with a prefix. */
    static List<String> threads(String namePrefix) {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.isAlive() && thread.getName().startsWith(namePrefix))
            .map(Thread::getName)
            .toList();
    }

    /**
     * Tells whether a program this project did not write is installed: it runs with the given probe arguments and
     * exits with 0.
     * @param command the program and its probe arguments, e.g. {@code node --version}
     */
    static boolean installed(String... command) {
        try {
            Process probe = new ProcessBuilder(Arrays.asList(command)).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(Await.SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
