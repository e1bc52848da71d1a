package dev.netstack.socket.nio.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A {@link TlsEngine} over a plain blocking {@link SocketChannel} on loopback: the test plays the channel's owner,
 * reading into one buffer, feeding the engine and writing what it hands out, as the event loop will. Reads block; the
 * tests' {@code @Timeout} interrupts them (closing the channel) if a peer goes quiet.
 */
final class BlockingTls implements AutoCloseable {

    final RecordingListener events = new RecordingListener();

    final TlsEngine engine;

    private final SocketChannel channel;

    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

    private boolean ended;

    private BlockingTls(SocketChannel channel, TlsConfig config, boolean client) throws IOException {
        this.channel = channel;
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        this.engine = client ? config.newClientEngine(this.events, new TlsScratch())
                : config.newServerEngine(peer.getAddress().getHostAddress(), peer.getPort(), this.events,
                        new TlsScratch());
    }

    static BlockingTls connect(int port, TlsConfig config) throws IOException {
        return new BlockingTls(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)), config, true);
    }

    static BlockingTls accept(ServerSocketChannel server, TlsConfig config) throws IOException {
        return new BlockingTls(server.accept(), config, false);
    }

    static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    static int port(ServerSocketChannel listener) throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Runs the handshake to its end; a failure is thrown as the engine's BusinessError. */
    BlockingTls handshake() throws IOException {
        this.engine.beginHandshake();
        flush();
        while (!this.engine.isHandshakeFinished()) {
            if (!readOnce()) {
                throw new IOException("the peer closed the connection during the handshake");
            }
        }
        return this;
    }

    void send(String text) throws IOException {
        this.events.outbound.add(this.engine.wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        flush();
    }

    /** Reads until the received plaintext ends with {@code suffix}. */
    String readUntil(String suffix) throws IOException {
        while (!text().endsWith(suffix)) {
            if (!readOnce()) {
                throw new IOException("the peer ended before '" + suffix.strip() + "'; received: '" + text() + "'");
            }
        }
        return text();
    }

    /** Reads until the peer ends the session or the connection. */
    void readToEnd() throws IOException {
        while (readOnce()) {
            if (this.engine.isCloseNotifyReceived()) {
                return;
            }
        }
    }

    String text() {
        return this.events.received.toString(StandardCharsets.UTF_8);
    }

    ByteArrayOutputStream received() {
        return this.events.received;
    }

    /** One read from the channel into the engine, then writes what the engine handed out. */
    boolean readOnce() throws IOException {
        if (this.ended) {
            return false;
        }
        this.readBuffer.clear();
        if (this.channel.read(this.readBuffer) < 0) {
            this.ended = true;
            return false;
        }
        this.engine.receive(this.readBuffer.flip());
        flush();
        return true;
    }

    void flush() throws IOException {
        while (!this.events.outbound.isEmpty()) {
            ByteBuffer records = this.events.outbound.poll();
            while (records.hasRemaining()) {
                this.channel.write(records);
            }
        }
    }

    /** close_notify, then the connection. */
    @Override
    public void close() throws IOException {
        try {
            this.engine.close();
            if (this.channel.isOpen()) {
                flush();
            }
        }
        catch (IOException ex) {
            // The peer is gone already: close_notify is a courtesy.
        }
        finally {
            this.channel.close();
        }
    }

}
