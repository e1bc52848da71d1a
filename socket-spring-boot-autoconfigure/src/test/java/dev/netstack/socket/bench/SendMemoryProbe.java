package dev.netstack.socket.bench;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.load.Heap;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketSettings;

/**
 * Measures how much heap a socket holds for a caller that sends in a loop and never waits for the futures, in three
 * scenarios: 1 KiB TCP sends to a peer that never reads ({@code send-queue-limit} 1 MiB), 64 B TCP sends to a peer
 * that reads as fast as it can (default limit), and 256 B UDP sends (default limit). One thread sends for the given
 * time through the promise form, dropping every future; then the heap is measured after GC, with whatever the socket
 * still holds. Not a test: run it by hand, before and after a change.
 *
 * <pre>
 * ./mvnw -B -q -o -pl socket-spring-boot-autoconfigure test-compile
 * cd socket-spring-boot-autoconfigure
 * java -Xmx4g -cp target/classes:target/test-classes dev.netstack.socket.bench.SendMemoryProbe 5
 * </pre>
 * Argument: seconds of sending per scenario (default 5). The sender stops early once the heap has grown by 3 GiB,
 * so that a runaway queue is reported rather than ending the JVM.
 */
public final class SendMemoryProbe {

    private static final long MIB = 1024 * 1024;

    private static final long RUNAWAY = 3072 * MIB;

    private SendMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 5;
        long nanos = TimeUnit.SECONDS.toNanos(seconds);
        System.out.printf(Locale.ROOT, "%d s of sending per scenario; JDK %s, max heap %d MiB%n", seconds,
                Runtime.version(), Runtime.getRuntime().maxMemory() / MIB);
        tcp("TCP 1 KiB sends, peer never reads, limit 1 MiB", 1024, MIB, false, nanos);
        tcp("TCP 64 B sends, peer reads, default limit", 64, SocketSettings.DEFAULT_SEND_QUEUE_LIMIT, true, nanos);
        udp("UDP 256 B sends, default limit", 256, nanos);
    }

    private static void tcp(String name, int size, long limit, boolean peerReads, long nanos) throws Exception {
        SocketSettings settings = SocketSettings.builder().ioThreads(1).sendQueueLimit(limit).build();
        try (NioSocketFactory factory = NioSocketFactory.create(settings);
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            TCPSocket socket = factory.constructTCPSocketInstance();
            socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.getLocalPort())))
                .get(10, TimeUnit.SECONDS);
            try (Socket peer = server.accept()) {
                if (peerReads) {
                    Thread reader = new Thread(() -> drain(peer), "probe-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
                TCPSendOptions options = new TCPSendOptions(new byte[size]);
                report(name, factory.stats().of(Protocol.TCP), () -> socket.send(options), nanos);
                // Without this the factory's close would wait up to its timeout for a peer that never reads.
                peer.setSoLinger(true, 0);
            }
        }
    }

    private static void udp(String name, int size, long nanos) throws Exception {
        try (NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build());
                DatagramChannel receiver = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            NetAddress to = new NetAddress("127.0.0.1", ((InetSocketAddress) receiver.getLocalAddress()).getPort());
            UDPSocket socket = factory.constructUDPSocketInstance();
            socket.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            UDPSendOptions options = new UDPSendOptions(new byte[size], to);
            report(name, factory.stats().of(Protocol.UDP), () -> socket.send(options), nanos);
        }
    }

    private static void report(String name, ProtocolStats stats, Runnable send, long nanos) {
        long before = Heap.usedAfterGc();
        long sends = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            send.run();
            if ((++sends & 4095) == 0 && Heap.used() - before > RUNAWAY) {
                System.out.println("  (stopped early: the heap grew past " + RUNAWAY / MIB + " MiB)");
                break;
            }
        }
        long growth = Heap.usedAfterGc() - before;
        long completed = stats.messagesSent();
        long refused = stats.errors(BusinessError.NO_BUFFER_SPACE);
        System.out.printf(Locale.ROOT, "%s: heap +%.1f MiB after GC; %,d sends: %,d completed, %,d refused with"
                + " 2301105, %,d still held%n", name, (double) growth / MIB, sends, completed, refused,
                sends - completed - refused);
    }

    private static void drain(Socket peer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = peer.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // Reads as fast as it can: the loop, not the peer, sets the pace.
            }
        }
        catch (Exception ex) {
            // The probe closes the connection when it is done.
        }
    }

}
