package dev.netstack.socket.nio.tls;

import java.nio.ByteBuffer;
import java.util.List;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TLSConnectOptions;
import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSecureOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client and a server {@link TlsEngine} talking through buffers on the test's thread, sharing one
 * {@link TlsScratch} as the engines of one event loop do. Records move only when {@link #pump} moves them, in
 * slices of a chosen size, so a test decides how the "reads" split the stream.
 */
final class MemoryPair {

    final RecordingListener clientEvents = new RecordingListener();

    final RecordingListener serverEvents = new RecordingListener();

    final TlsEngine client;

    final TlsEngine server;

    MemoryPair(TlsConfig clientConfig, TlsConfig serverConfig) {
        TlsScratch scratch = new TlsScratch();
        this.client = clientConfig.newClientEngine(this.clientEvents, scratch);
        this.server = serverConfig.newServerEngine("127.0.0.1", 50000, this.serverEvents, scratch);
    }

    /** A pair whose server has {@code TestPki.server} and whose client trusts the test CA and verifies 127.0.0.1. */
    static MemoryPair of(TLSSecureOptions clientOptions, TLSSecureOptions serverOptions) {
        return new MemoryPair(TlsConfig.client(clientTo("127.0.0.1", clientOptions)),
                TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), serverOptions)));
    }

    static TLSConnectOptions clientTo(String host, TLSSecureOptions options) {
        return new TLSConnectOptions(new NetAddress(host, 4433), options);
    }

    /** Secure options that trust the test CA, for either side. */
    static TLSSecureOptions trusting(TLSProtocol... protocols) {
        TLSSecureOptions options = new TLSSecureOptions();
        options.setCa(TestPki.get().caList());
        if (protocols.length > 0) {
            options.setProtocols(List.of(protocols));
        }
        return options;
    }

    /** The server's options: its certificate and key, trusting the test CA for client certificates. */
    static TLSSecureOptions serverOptions(TLSProtocol... protocols) {
        TLSSecureOptions options = TestPki.get().server.options();
        options.setCa(TestPki.get().caList());
        if (protocols.length > 0) {
            options.setProtocols(List.of(protocols));
        }
        return options;
    }

    /** The server's configuration, requiring a client certificate or not. */
    static TlsConfig serverConfig(boolean requireClientCertificate) {
        TLSSecureOptions options = serverOptions();
        options.setIsBidirectionalAuthentication(requireClientCertificate);
        return TlsConfig.server(new TLSConnectOptions(new NetAddress("127.0.0.1", 0), options));
    }

    /** Runs the handshake to its end: both sides finished, nothing left to move. */
    MemoryPair handshake() {
        this.client.beginHandshake();
        this.server.beginHandshake();
        pump(Integer.MAX_VALUE);
        assertThat(this.client.isHandshakeFinished()).as("client finished its handshake").isTrue();
        assertThat(this.server.isHandshakeFinished()).as("server finished its handshake").isTrue();
        return this;
    }

    /** Moves queued records both ways, in slices of at most {@code slice} bytes, until none is left. */
    void pump(int slice) {
        for (int round = 0; round < 50; round++) {
            if (this.clientEvents.outbound.isEmpty() && this.serverEvents.outbound.isEmpty()) {
                return;
            }
            deliver(this.clientEvents, this.server, slice);
            deliver(this.serverEvents, this.client, slice);
        }
        throw new AssertionError("the engines kept sending records to each other");
    }

    static void deliver(RecordingListener from, TlsEngine to, int slice) {
        ByteBuffer all = from.drain();
        while (all.hasRemaining()) {
            int n = Math.min(slice, all.remaining());
            ByteBuffer read = all.slice().limit(n);
            all.position(all.position() + n);
            to.receive(read);
            assertThat(read.hasRemaining()).as("receive() consumed the whole read").isFalse();
        }
    }

    /** Wraps each message on the client and queues the records, as the owner's send queue would. */
    void clientSends(byte[]... messages) {
        for (byte[] message : messages) {
            this.clientEvents.outbound.add(this.client.wrap(ByteBuffer.wrap(message)));
        }
    }

}
