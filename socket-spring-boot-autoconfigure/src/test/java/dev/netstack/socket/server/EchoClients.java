package dev.netstack.socket.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The clients of the 10,000-connection test, run in a process of their own so that each side of the connections
 * counts against its own descriptor limit: a plain NIO loop on the JDK only, sharing no code with the engine.
 *
 * <p>Arguments: port, connections, message size, connects in flight. It opens every connection and keeps them all
 * open, prints {@code connected N}, and waits for a line {@code echo} on its input; then each connection writes its
 * own message and reads it back, checking every byte, and it prints {@code verified N bytes B}; at {@code close} it
 * closes them all and prints {@code closed}. Any failure prints {@code failed <why>} and exits with 1.
 */
public final class EchoClients {

    private static final long DEADLINE_SECONDS = 60;

    private final InetSocketAddress server;

    private final Client[] clients;

    private final int size;

    private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);

    private final Selector selector = Selector.open();

    /** One connection: its message, how much of it went out, and how much came back intact. */
    private static final class Client {

        SocketChannel channel;

        ByteBuffer out;

        byte[] message;

        int received;

    }

    private EchoClients(int port, int connections, int size) throws IOException {
        this.server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        this.clients = new Client[connections];
        this.size = size;
    }

    public static void main(String[] args) throws IOException {
        EchoClients run = new EchoClients(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            run.connectAll(Integer.parseInt(args[3]));
            System.out.println("connected " + run.clients.length);
            expect(commands, "echo");
            long bytes = run.echoAll();
            System.out.println("verified " + run.clients.length + " bytes " + bytes);
            expect(commands, "close");
            for (Client client : run.clients) {
                client.channel.close();
            }
            System.out.println("closed");
        }
        catch (IOException | RuntimeException ex) {
            System.out.println("failed " + ex);
            System.exit(1);
        }
    }

    private static void expect(BufferedReader commands, String command) throws IOException {
        String line = commands.readLine();
        if (!command.equals(line)) {
            throw new IllegalStateException("expected the command '" + command + "' but read " + line);
        }
    }

    /** Opens every connection, at most {@code inFlight} connecting at once, and keeps them open. */
    private void connectAll(int inFlight) throws IOException {
        int started = 0;
        int connecting = 0;
        int connected = 0;
        while (connected < this.clients.length) {
            while (started < this.clients.length && connecting < inFlight) {
                Client client = new Client();
                client.channel = SocketChannel.open();
                client.channel.configureBlocking(false);
                if (client.channel.connect(this.server)) {
                    connected++;
                    client.channel.register(this.selector, 0, client);
                }
                else {
                    connecting++;
                    client.channel.register(this.selector, SelectionKey.OP_CONNECT, client);
                }
                this.clients[started++] = client;
            }
            select();
            for (SelectionKey key : this.selector.selectedKeys()) {
                if (key.isConnectable() && ((Client) key.attachment()).channel.finishConnect()) {
                    key.interestOps(0);
                    connecting--;
                    connected++;
                }
            }
            this.selector.selectedKeys().clear();
        }
    }

    /** Each connection writes its own message and reads it back; returns the bytes verified. */
    private long echoAll() throws IOException {
        for (int i = 0; i < this.clients.length; i++) {
            Client client = this.clients[i];
            client.message = message(i);
            client.out = ByteBuffer.wrap(client.message);
            client.channel.keyFor(this.selector).interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
        }
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int done = 0;
        long bytes = 0;
        while (done < this.clients.length) {
            select();
            for (SelectionKey key : this.selector.selectedKeys()) {
                Client client = (Client) key.attachment();
                if (key.isWritable()) {
                    client.channel.write(client.out);
                    if (!client.out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable()) {
                    in.clear();
                    int read = client.channel.read(in);
                    if (read < 0) {
                        throw new IllegalStateException("the server ended a connection after " + client.received
                                + " of " + this.size + " bytes");
                    }
                    for (int j = 0; j < read; j++) {
                        if (client.received >= this.size || in.get(j) != client.message[client.received]) {
                            throw new IllegalStateException("byte " + client.received + " of a connection differs");
                        }
                        client.received++;
                    }
                    bytes += read;
                    if (client.received == this.size) {
                        key.interestOps(0);
                        done++;
                    }
                }
            }
            this.selector.selectedKeys().clear();
        }
        return bytes;
    }

    /** The message of connection {@code i}: its number, then bytes no other connection sends. */
    private byte[] message(int i) {
        byte[] message = new byte[this.size];
        new SplittableRandom(i).nextBytes(message);
        byte[] label = ("connection " + i + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, message, 0, Math.min(label.length, message.length));
        return message;
    }

    private void select() throws IOException {
        if (System.nanoTime() > this.deadline) {
            throw new IllegalStateException("not done within " + DEADLINE_SECONDS + " s");
        }
        this.selector.select(1000);
    }

}
