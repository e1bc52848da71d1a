package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.bench.contender.Counter;

/**
 * The load of the echo workload, the same for every contender: one selector thread that opens its connections
 * (TCP_NODELAY on), then keeps one message of {@code size} bytes out on each: when all of its bytes are back, it
 * counts the message and sends the next. Nothing is allocated per message.
 */
final class EchoLoad implements AutoCloseable {

    /** The name of the load's thread. */
    static final String THREAD_NAME = "echo-load";

    /** Connects in flight at once, well under the listen backlog. */
    private static final int CONNECTS_IN_FLIGHT = 256;

    private final Counter echoed = new Counter();

    private final CountDownLatch ready = new CountDownLatch(1);

    private final List<SocketChannel> channels = new ArrayList<>();

    private final Selector selector;

    private final Thread thread;

    private volatile Throwable failure;

    private volatile boolean running = true;

    EchoLoad(int port, int connections, int size) throws IOException {
        this.selector = Selector.open();
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        this.thread = new Thread(() -> {
            try {
                connect(server, connections);
                loop(size);
            }
            catch (IOException | RuntimeException ex) {
                if (this.running) {
                    this.failure = ex;
                }
            }
            finally {
                this.ready.countDown();
            }
        }, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * Opens the connections and starts sending.
     * @throws Exception when the connections cannot be opened within 2 minutes
     */
    void start() throws Exception {
        this.thread.start();
        if (!this.ready.await(2, TimeUnit.MINUTES)) {
            throw new TimeoutException("echo load: connections not open after 2 minutes");
        }
        check();
    }

    /**
     * Returns the messages that came back whole so far.
     * @return the counter
     */
    Counter echoed() {
        return this.echoed;
    }

    /**
     * Throws what stopped the load, if anything did.
     * @throws IOException the failure
     */
    void check() throws IOException {
        if (this.failure != null) {
            throw new IOException("echo load failed after " + this.echoed.messages() + " messages", this.failure);
        }
    }

    private void connect(InetSocketAddress server, int connections) throws IOException {
        int opened = 0;
        int inFlight = 0;
        int connected = 0;
        while (connected < connections) {
            while (opened < connections && inFlight < CONNECTS_IN_FLIGHT) {
                SocketChannel channel = SocketChannel.open();
                this.channels.add(channel);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(server);
                channel.register(this.selector, SelectionKey.OP_CONNECT, new int[1]);
                opened++;
                inFlight++;
            }
            this.selector.select();
            for (SelectionKey key : this.selector.selectedKeys()) {
                if (((SocketChannel) key.channel()).finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                    inFlight--;
                    connected++;
                }
            }
            this.selector.selectedKeys().clear();
        }
    }

    private void loop(int size) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(65536);
        for (SocketChannel channel : this.channels) {
            write(channel, message);
        }
        this.ready.countDown();
        while (this.running) {
            this.selector.select(key -> {
                SocketChannel channel = (SocketChannel) key.channel();
                int[] pending = (int[]) key.attachment();
                try {
                    int read = channel.read(in.clear());
                    if (read < 0) {
                        throw new IOException("the server closed a connection");
                    }
                    pending[0] += read;
                    if (pending[0] >= size) {
                        pending[0] -= size;
                        this.echoed.add(size);
                        write(channel, message);
                    }
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }

    /** One message out of {@code size} bytes: an empty socket buffer always takes it whole. */
    private static void write(SocketChannel channel, ByteBuffer message) throws IOException {
        message.clear();
        while (message.hasRemaining()) {
            channel.write(message);
        }
    }

    @Override
    public void close() throws Exception {
        this.running = false;
        this.selector.wakeup();
        this.thread.join(10_000);
        this.selector.close();
        dev.netstack.socket.bench.contender.PlainContender.closeAll(this.channels);
    }

}
