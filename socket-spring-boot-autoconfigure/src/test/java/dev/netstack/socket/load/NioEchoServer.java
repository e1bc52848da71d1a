package dev.netstack.socket.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain NIO echo server on loopback, port 0, on one thread of its own: the peer of the load tests, written with the
 * JDK only so that it shares no code with the engine under test. Writes back every byte it reads, in order.
 */
public final class NioEchoServer implements AutoCloseable {

    private final Selector selector;

    private final ServerSocketChannel listener;

    private final Thread thread;

    private final AtomicInteger accepted = new AtomicInteger();

    private final AtomicInteger open = new AtomicInteger();

    private volatile boolean running = true;

    /**
     * Starts the server.
     * @param backlog the accept queue length (the kernel caps it at {@code net.core.somaxconn})
     */
    public NioEchoServer(int backlog) throws IOException {
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        this.listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), backlog);
        this.listener.configureBlocking(false);
        this.listener.register(this.selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "nio-echo-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public int port() throws IOException {
        return ((InetSocketAddress) this.listener.getLocalAddress()).getPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return this.accepted.get();
    }

    /** Connections accepted and not yet ended by the client. */
    public int open() {
        return this.open.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (this.running) {
                this.selector.select(key -> handle(key, buffer));
            }
        }
        catch (IOException ex) {
            // Closed under us by close().
        }
        finally {
            for (SelectionKey key : this.selector.keys()) {
                closeQuietly(key);
            }
            try {
                this.selector.close();
            }
            catch (IOException ex) {
                // Nothing more to release.
            }
        }
    }

    private void handle(SelectionKey key, ByteBuffer buffer) {
        try {
            if (key.isAcceptable()) {
                SocketChannel channel;
                while ((channel = this.listener.accept()) != null) {
                    channel.configureBlocking(false);
                    channel.register(this.selector, SelectionKey.OP_READ, new ArrayDeque<ByteBuffer>());
                    this.accepted.incrementAndGet();
                    this.open.incrementAndGet();
                }
                return;
            }
            SocketChannel channel = (SocketChannel) key.channel();
            @SuppressWarnings("unchecked")
            ArrayDeque<ByteBuffer> pending = (ArrayDeque<ByteBuffer>) key.attachment();
            if (key.isWritable()) {
                flush(channel, pending, key);
            }
            if (key.isValid() && key.isReadable()) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    this.open.decrementAndGet();
                    closeQuietly(key);
                    return;
                }
                buffer.flip();
                ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
                copy.put(buffer).flip();
                pending.add(copy);
                flush(channel, pending, key);
            }
        }
        catch (IOException ex) {
            this.open.decrementAndGet();
            closeQuietly(key);
        }
    }

    private static void flush(SocketChannel channel, ArrayDeque<ByteBuffer> pending, SelectionKey key)
            throws IOException {
        ByteBuffer head;
        while ((head = pending.peek()) != null) {
            channel.write(head);
            if (head.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            pending.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        }
        catch (IOException ex) {
            // Going away anyway.
        }
    }

    @Override
    public void close() throws Exception {
        this.running = false;
        this.selector.wakeup();
        this.thread.join(10_000);
        this.listener.close();
    }

}
