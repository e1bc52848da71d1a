package dev.netstack.socket.bench.contender;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The TCP server of the plain selector contender: one thread, one selector, the listening channel and every accepted
 * channel on it; accept until the backlog is empty, read into one direct buffer, echo by writing that buffer back.
 * What serving connections costs at the least, without callbacks, queues or any API on top.
 */
final class SelectorServer implements TcpServer {

    /** The listen backlog, the engine's. */
    static final int BACKLOG = 1024;

    static final String THREAD_NAME = "selector-server";

    private final ServerRole role;

    private final Selector selector;

    private final ServerSocketChannel server;

    private final Counter accepted = new Counter();

    private final Thread thread;

    private volatile boolean running = true;

    SelectorServer(ServerRole role) throws IOException {
        this.role = role;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        this.server.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        this.server.configureBlocking(false);
        this.server.register(this.selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        try {
            while (this.running) {
                this.selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            acceptAll();
                        }
                        else {
                            serve(key, buffer);
                        }
                    }
                    catch (IOException ex) {
                        // A reset as the load closes its connections: that connection is done.
                        key.cancel();
                        PlainContender.closeAll(List.of(key.channel()));
                    }
                });
            }
        }
        catch (IOException ex) {
            ex.printStackTrace();
        }
        finally {
            for (SelectionKey key : this.selector.keys()) {
                PlainContender.closeAll(List.of(key.channel()));
            }
            PlainContender.closeAll(List.of(this.server));
            try {
                this.selector.close();
            }
            catch (IOException ex) {
                // Going away anyway.
            }
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel channel;
        while ((channel = this.server.accept()) != null) {
            this.accepted.add(0);
            if (this.role == ServerRole.CLOSE) {
                channel.close();
                continue;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(this.selector, SelectionKey.OP_READ);
        }
    }

    private void serve(SelectionKey key, ByteBuffer buffer) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        buffer.clear();
        int read = channel.read(buffer);
        if (read < 0) {
            key.cancel();
            channel.close();
            return;
        }
        if (this.role == ServerRole.ECHO && read > 0) {
            buffer.flip();
            // The load has one 64-byte message out per connection, so the socket buffer always takes it whole.
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    @Override
    public int port() {
        return this.server.socket().getLocalPort();
    }

    @Override
    public Counter accepted() {
        return this.accepted;
    }

    @Override
    public String threadName() {
        return THREAD_NAME;
    }

    @Override
    public void close() throws Exception {
        this.running = false;
        this.selector.wakeup();
        this.thread.join(10_000);
    }

}
