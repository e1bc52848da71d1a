package dev.netstack.socket.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Lines out of TCP chunks cut anywhere.
 */
class LineDecoderTests {

    private final LineDecoder decoder = new LineDecoder(8);

    @Test
    void lineSplitAcrossChunksIsDeliveredOnceComplete() {
        assertThat(this.decoder.decode(bytes("pi"))).isEmpty();
        assertThat(this.decoder.decode(bytes("ng 1"))).isEmpty();
        assertThat(this.decoder.decode(bytes("\n"))).containsExactly("ping 1");
    }

    @Test
    void severalLinesInOneChunkComeOutInOrderAndTheRestWaits() {
        assertThat(this.decoder.decode(bytes("a\nb\r\nc"))).containsExactly("a", "b");
        assertThat(this.decoder.decode(bytes("\n"))).containsExactly("c");
    }

    @Test
    void emptyLinesAreLines() {
        assertThat(this.decoder.decode(bytes("\n\r\n"))).containsExactly("", "");
    }

    @Test
    void multiByteCharacterSplitAcrossChunksDecodesWhole() {
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        assertThat(this.decoder.decode(ByteBuffer.wrap(euro, 0, 2))).isEmpty();
        assertThat(this.decoder.decode(ByteBuffer.wrap(euro, 2, euro.length - 2))).containsExactly("€");
    }

    @Test
    void lineLongerThanTheLimitIsCutAtTheLimit() {
        assertThat(this.decoder.decode(bytes("0123456789\n"))).containsExactly("01234567", "89");
    }

    @Test
    void chunkIsConsumed() {
        ByteBuffer chunk = bytes("x\ny");
        this.decoder.decode(chunk);
        assertThat(chunk.hasRemaining()).isFalse();
    }

    @Test
    void limitBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LineDecoder(0)).withMessageContaining("0");
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

}
