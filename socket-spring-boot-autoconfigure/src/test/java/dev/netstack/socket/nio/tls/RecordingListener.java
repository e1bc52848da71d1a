package dev.netstack.socket.nio.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TlsEngineListener} that records everything: the records to send in order, each plaintext chunk, and the
 * milestones with the order they came in.
 */
class RecordingListener implements TlsEngineListener {

    final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();

    final List<byte[]> chunks = new ArrayList<>();

    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    /** "handshake", "plaintext", "close_notify", in the order they came. */
    final List<String> milestones = new ArrayList<>();

    int handshakes;

    @Override
    public void outbound(ByteBuffer records) {
        this.outbound.add(records);
    }

    @Override
    public void plaintext(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        this.chunks.add(bytes);
        this.received.writeBytes(bytes);
        this.milestones.add("plaintext");
    }

    @Override
    public void handshakeFinished() {
        this.handshakes++;
        this.milestones.add("handshake");
    }

    @Override
    public void closeNotifyReceived() {
        this.milestones.add("close_notify");
    }

    /** Takes every queued record as one buffer. */
    ByteBuffer drain() {
        int size = this.outbound.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        while (!this.outbound.isEmpty()) {
            all.put(this.outbound.poll());
        }
        return all.flip();
    }

}
