package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of the one-way UDP workloads, the same for every contender: one thread with a blocking, connected
 * {@link DatagramChannel} that sends datagrams of one size as fast as the kernel takes them.
 */
final class UdpBlaster implements AutoCloseable {

    /** The name of the sending thread. */
    static final String THREAD_NAME = "udp-blaster";

    private final DatagramChannel channel;

    private final Thread thread;

    private final AtomicLong sent = new AtomicLong();

    private volatile boolean running = true;

    UdpBlaster(int port, int size) throws IOException {
        this.channel = DatagramChannel.open();
        this.channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.channel.connect(new InetSocketAddress("127.0.0.1", port));
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        this.thread = new Thread(() -> {
            long count = 0;
            try {
                while (this.running) {
                    this.channel.write(payload.clear());
                    // Published every 64 sends: an atomic per send would slow the sender for no gain in precision.
                    if ((++count & 63) == 0) {
                        this.sent.lazySet(count);
                    }
                }
            }
            catch (ClosedChannelException ex) {
                // Stopped.
            }
            catch (IOException ex) {
                // ECONNREFUSED from an earlier ICMP error is not expected on a bound sink; report and stop.
                ex.printStackTrace();
            }
            this.sent.set(count);
        }, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    void start() {
        this.thread.start();
    }

    long sent() {
        return this.sent.get();
    }

    /**
     * Stops sending and returns the exact number of datagrams sent.
     * @return the total
     * @throws InterruptedException when interrupted
     */
    long stop() throws InterruptedException {
        this.running = false;
        this.thread.join(5000);
        return this.sent.get();
    }

    @Override
    public void close() throws Exception {
        this.running = false;
        this.thread.join(5000);
        this.channel.close();
    }

}
