package dev.netstack.socket.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.LocalSocket;
import dev.netstack.socket.LocalSocketConnection;
import dev.netstack.socket.LocalSocketMessageInfo;

import static org.awaitility.Awaitility.await;

/**
 * What a local socket or connection received: its bytes in order, and the paths its 'message' events told.
 */
final class Inbox {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private final Set<String> addresses = ConcurrentHashMap.newKeySet();

    Inbox(LocalSocket socket) {
        socket.on(LocalSocket.MESSAGE, this::add);
    }

    Inbox(LocalSocketConnection connection) {
        connection.on(LocalSocket.MESSAGE, this::add);
    }

    private synchronized void add(LocalSocketMessageInfo message) {
        this.bytes.writeBytes(message.bytes());
        this.addresses.add(message.address());
    }

    synchronized byte[] bytes() {
        return this.bytes.toByteArray();
    }

    Set<String> addresses() {
        return this.addresses;
    }

    /** Waits for at least {@code count} bytes and returns all received. */
    byte[] awaitBytes(int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> bytes().length >= count);
        return bytes();
    }

    /** Waits for the UTF-8 text received to be {@code expected} long, and returns it. */
    String awaitText(String expected) {
        int length = expected.getBytes(StandardCharsets.UTF_8).length;
        await().atMost(10, TimeUnit.SECONDS).until(() -> bytes().length >= length);
        return new String(bytes(), StandardCharsets.UTF_8);
    }

}
