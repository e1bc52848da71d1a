package dev.netstack.socket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The decoders of every framing, fed the same stream cut at every place: whole frames, once, in order, whatever the
 * chunks; a frame over the maximum fails the stream with 2301090.
 */
class FrameDecoderTests {

    /** A stream of several frames, the frames it holds, and the framing that cuts it. */
    record Case(String name, Framing framing, byte[] stream, List<String> frames) {

        @Override
        public String toString() {
            return this.name;
        }

    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("lines, LF and CRLF, empty lines, a lone CR inside", Framing.lines(16),
                        bytes("alpha\nbeta\r\n\n\r\na\rb\nsixteen-bytes-ok\r\n\u00e9t\u00e9\n"),
                        List.of("alpha", "beta", "", "", "a\rb", "sixteen-bytes-ok", "\u00e9t\u00e9")),
                new Case("delimiter 00 00 01, which overlaps itself", Framing.delimiter(new byte[] {0, 0, 1}, 8),
                        bytes("one\0\0\1\0\0\1t\0o\0\0\1\0\0\0\1end\0\0\1"), List.of("one", "", "t\0o", "\0", "end")),
                new Case("delimiter CRLF CRLF", Framing.delimiter(bytes("\r\n\r\n"), 32),
                        bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\nx\r\n\r\r\n\r\n"),
                        List.of("GET / HTTP/1.1\r\nHost: a", "", "x\r\n\r")),
                new Case("length field, 1 byte", Framing.lengthField(1, 255),
                        concat(new byte[] {0}, new byte[] {1, 'a'}, new byte[] {3}, bytes("abc"), new byte[] {0}),
                        List.of("", "a", "abc", "")),
                new Case("length field, 2 bytes little endian, counting itself", Framing.lengthField(2,
                        ByteOrder.LITTLE_ENDIAN, true, 0, 100),
                        concat(new byte[] {7, 0}, bytes("hello"), new byte[] {2, 0}, new byte[] {3, 0}, bytes("z")),
                        List.of("hello", "", "z")),
                new Case("length field, 4 bytes big endian, adjustment +2", Framing.lengthField(4,
                        ByteOrder.BIG_ENDIAN, false, 2, 100),
                        concat(new byte[] {0, 0, 0, 3}, bytes("abc.."), new byte[] {0, 0, 0, 0}, bytes("--")),
                        List.of("abc..", "--")),
                new Case("length field, 4 bytes little endian, adjustment -1", Framing.lengthField(4,
                        ByteOrder.LITTLE_ENDIAN, false, -1, 100),
                        concat(new byte[] {4, 0, 0, 0}, bytes("abc"), new byte[] {1, 0, 0, 0}),
                        List.of("abc", "")),
                new Case("fixed records of 4 bytes", Framing.fixed(4), bytes("abcd\0\0\0\0wxyz"),
                        List.of("abcd", "\0\0\0\0", "wxyz")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStreamCutAtAnyOneByteGivesTheSameFrames(Case c) {
        for (int cut = 0; cut <= c.stream().length; cut++) {
            assertThat(decode(c.framing(), c.stream(), Chunk.DIRECT, cut)).as("cut at %d", cut)
                .containsExactlyElementsOf(c.frames());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStreamCutAtAnyTwoBytesGivesTheSameFrames(Case c) {
        for (int first = 0; first <= c.stream().length; first++) {
            for (int second = first; second <= c.stream().length; second++) {
                assertThat(decode(c.framing(), c.stream(), Chunk.HEAP, first, second))
                    .as("cut at %d and %d", first, second)
                    .containsExactlyElementsOf(c.frames());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStreamReadOneByteAtATimeGivesTheSameFrames(Case c) {
        int[] everyByte = IntStream.range(1, c.stream().length).toArray();
        assertThat(decode(c.framing(), c.stream(), Chunk.DIRECT_LITTLE_ENDIAN, everyByte))
            .containsExactlyElementsOf(c.frames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void manyFramesInOneChunkComeOutInOrder(Case c) {
        byte[] stream = new byte[c.stream().length * 300];
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            System.arraycopy(c.stream(), 0, stream, i * c.stream().length, c.stream().length);
            frames.addAll(c.frames());
        }
        assertThat(decode(c.framing(), stream, Chunk.DIRECT)).containsExactlyElementsOf(frames);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEncoderMakesWhatTheDecoderTakes(Case c) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (String frame : c.frames()) {
            ByteBuffer encoded = c.framing().encode(frame, StandardCharsets.ISO_8859_1);
            stream.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
        }
        assertThat(decode(c.framing(), stream.toByteArray(), Chunk.DIRECT, 1)).containsExactlyElementsOf(c.frames());
    }

    @Test
    void aLineOfExactlyTheMaximumPassesAndOneMoreFails() {
        assertThat(decode(Framing.lines(8), bytes("12345678\n12345678\r\n"), Chunk.DIRECT))
            .containsExactly("12345678", "12345678");
        assertThat(failure(Framing.lines(8), bytes("123456789\n"))).hasMessageContaining("9 bytes")
            .hasMessageContaining("maximum of 8 bytes");
    }

    @Test
    void aLineOverTheMaximumFailsAsSoonAsItsBytesAreInWithoutWaitingForTheEnd() {
        FrameDecoder decoder = Framing.lines(8).newDecoder();
        List<String> frames = new ArrayList<>();
        for (byte b : bytes("12345678")) {
            decoder.decode(ByteBuffer.wrap(new byte[] {b}), sink(frames));
        }
        BusinessError error = catchThrowableOfType(() -> decoder.decode(ByteBuffer.wrap(bytes("9")), sink(frames)),
                BusinessError.class);
        assertThat(error.getCode()).isEqualTo(BusinessError.MESSAGE_TOO_LONG);
        assertThat(error).hasMessage("frame of at least 9 bytes is over the maximum of 8 bytes");
        assertThat(frames).isEmpty();
    }

    @Test
    void aCarriageReturnAtTheMaximumWaitsForTheLineFeedInTheNextRead() {
        FrameDecoder decoder = Framing.lines(3).newDecoder();
        List<String> frames = new ArrayList<>();
        decoder.decode(ByteBuffer.wrap(bytes("abc\r")), sink(frames));
        decoder.decode(ByteBuffer.wrap(bytes("\nd")), sink(frames));
        assertThat(frames).containsExactly("abc");
        assertThat(text(decoder.takeUnfinished())).isEqualTo("d");
    }

    @Test
    void aDelimitedFrameOfExactlyTheMaximumPassesAndOneMoreFails() {
        Framing framing = Framing.delimiter(new byte[] {'|', '|'}, 4);
        assertThat(decode(framing, bytes("abcd||"), Chunk.DIRECT, 3, 5)).containsExactly("abcd");
        assertThat(failure(framing, bytes("abcde||"))).hasMessage("frame of 5 bytes is over the maximum of 4 bytes");
        // Without a delimiter yet: failed once no delimiter begun at the end can make the frame short enough.
        FrameDecoder waiting = framing.newDecoder();
        waiting.decode(ByteBuffer.wrap(bytes("abcd|")), frame -> true);
        assertThat(text(waiting.takeUnfinished())).isEqualTo("abcd|");
        assertThat(failure(framing, bytes("abcdef"))).hasMessage("frame of at least 5 bytes is over the maximum of 4 bytes");
    }

    @Test
    void lengthFieldsAtTheirExtremes() {
        byte[] full = new byte[255];
        Arrays.fill(full, (byte) 7);
        assertThat(decode(Framing.lengthField(1, 255), concat(new byte[] {(byte) 255}, full), Chunk.DIRECT, 1, 100))
            .containsExactly(latin1(full));
        byte[] largest = new byte[65535];
        Arrays.fill(largest, (byte) 'x');
        assertThat(decode(Framing.lengthField(2, 65535), concat(new byte[] {(byte) 0xFF, (byte) 0xFF}, largest),
                Chunk.HEAP, 1, 5000, 60000)).containsExactly(latin1(largest));
        assertThat(failure(Framing.lengthField(2, 65534), new byte[] {(byte) 0xFF, (byte) 0xFF}))
            .hasMessage("frame of 65535 bytes (length field 65535) is over the maximum of 65534 bytes");
        assertThat(failure(Framing.lengthField(4, Framing.LARGEST_FRAME), new byte[] {-1, -1, -1, -1}))
            .hasMessage("frame of 4294967295 bytes (length field 4294967295) is over the maximum of 2147483639 bytes");
        assertThat(failure(Framing.lengthField(4, ByteOrder.LITTLE_ENDIAN, false, 0, 100000),
                new byte[] {(byte) 0xA1, (byte) 0x86, 0x01, 0x00}))
            .hasMessageContaining("frame of 100001 bytes");
        assertThat(decode(Framing.lengthField(4, 0x7F), new byte[] {0, 0, 0, 0}, Chunk.DIRECT, 2)).containsExactly("");
    }

    @Test
    void aLengthFieldBelowItsOwnSizeFails() {
        Framing counting = Framing.lengthField(2, ByteOrder.BIG_ENDIAN, true, 0, 100);
        BusinessError error = failure(counting, new byte[] {0, 1});
        assertThat(error.getCode()).isEqualTo(BusinessError.MESSAGE_TOO_LONG);
        assertThat(error).hasMessage("length field 1 gives a frame of -1 bytes, below 0 (the maximum is 100 bytes)");
    }

    @Test
    void aLengthOverTheMaximumFailsAtTheFieldBeforeTheFrameArrives() {
        FrameDecoder decoder = Framing.lengthField(4, 1000).newDecoder();
        List<String> frames = new ArrayList<>();
        decoder.decode(ByteBuffer.wrap(new byte[] {0, 0, 0, 3, 'a', 'b', 'c', 0, 0}), sink(frames));
        BusinessError error = catchThrowableOfType(
                () -> decoder.decode(ByteBuffer.wrap(new byte[] {0x03, (byte) 0xE9}), sink(frames)),
                BusinessError.class);
        assertThat(error).hasMessageContaining("1001 bytes").hasMessageContaining("maximum of 1000 bytes");
        assertThat(frames).containsExactly("abc");
    }

    @Test
    void theFramesBeforeABadOneAreDeliveredThenTheDecoderStaysFailedAndHoldsNothing() {
        FrameDecoder decoder = Framing.lines(4).newDecoder();
        List<String> frames = new ArrayList<>();
        BusinessError first = catchThrowableOfType(
                () -> decoder.decode(ByteBuffer.wrap(bytes("ok\nfine\ntoo-long\nlater\n")), sink(frames)),
                BusinessError.class);
        assertThat(frames).containsExactly("ok", "fine");
        assertThat(first.getCode()).isEqualTo(BusinessError.MESSAGE_TOO_LONG);
        BusinessError again = catchThrowableOfType(() -> decoder.decode(ByteBuffer.wrap(bytes("a\n")), sink(frames)),
                BusinessError.class);
        assertThat(again).isSameAs(first);
        assertThat(frames).containsExactly("ok", "fine");
        assertThat(decoder.takeUnfinished().hasRemaining()).isFalse();
    }

    @Test
    void aFixedRecordIsItsOwnMaximum() {
        assertThat(decode(Framing.fixed(1), bytes("abc"), Chunk.DIRECT, 1, 2)).containsExactly("a", "b", "c");
        assertThat(decode(Framing.fixed(5000), new byte[10000], Chunk.DIRECT, 1, 4999, 5001)).hasSize(2);
    }

    @Test
    void aSinkThatSaysStopLeavesTheRestOfTheChunkForTheNextCall() {
        FrameDecoder decoder = Framing.lines(10).newDecoder();
        ByteBuffer chunk = ByteBuffer.wrap(bytes("a\nbb\nccc\nd"));
        List<String> frames = new ArrayList<>();
        decoder.decode(chunk, frame -> frames.add(latin1(frame)) && frames.size() < 2);
        assertThat(frames).containsExactly("a", "bb");
        assertThat(chunk.position()).isEqualTo(5);
        decoder.decode(chunk, sink(frames));
        assertThat(frames).containsExactly("a", "bb", "ccc");
        assertThat(chunk.hasRemaining()).isFalse();
        assertThat(text(decoder.takeUnfinished())).isEqualTo("d");
    }

    @Test
    void unfinishedBytesAreHandedOverAsTheyCame() {
        FrameDecoder lines = Framing.lines(10).newDecoder();
        lines.decode(ByteBuffer.wrap(bytes("done\nhalf")), frame -> true);
        assertThat(text(lines.takeUnfinished())).isEqualTo("half");
        assertThat(lines.takeUnfinished().hasRemaining()).isFalse();

        FrameDecoder halfField = Framing.lengthField(4, ByteOrder.LITTLE_ENDIAN, false, 0, 100).newDecoder();
        halfField.decode(ByteBuffer.wrap(new byte[] {5, 0, 0}), frame -> true);
        assertThat(bytesOf(halfField.takeUnfinished())).containsExactly(5, 0, 0);

        FrameDecoder halfFrame = Framing.lengthField(2, ByteOrder.LITTLE_ENDIAN, true, 1, 100).newDecoder();
        halfFrame.decode(ByteBuffer.wrap(new byte[] {5, 0}), frame -> true);
        halfFrame.decode(ByteBuffer.wrap(new byte[] {'a', 'b'}), frame -> true);
        assertThat(bytesOf(halfFrame.takeUnfinished())).containsExactly(5, 0, 'a', 'b');

        FrameDecoder record = Framing.fixed(3).newDecoder();
        record.decode(ByteBuffer.wrap(bytes("abcde")), frame -> true);
        assertThat(text(record.takeUnfinished())).isEqualTo("de");
        assertThat(Framing.none().newDecoder().takeUnfinished().hasRemaining()).isFalse();
    }

    @Test
    void noFramingGivesEachChunkAsItCame() {
        assertThat(decode(Framing.none(), bytes("ab\ncd"), Chunk.DIRECT, 1, 4)).containsExactly("a", "b\nc", "d");
    }

    @Test
    void aFrameOutlivesTheChunkItWasCopiedFrom() {
        FrameDecoder decoder = Framing.lines(100).newDecoder();
        List<String> frames = new ArrayList<>();
        ByteBuffer shared = ByteBuffer.allocateDirect(64);
        List<byte[]> kept = new ArrayList<>();
        for (String chunk : List.of("first li", "ne\nsecond line\nthi", "rd\n")) {
            shared.clear().put(bytes(chunk)).flip();
            decoder.decode(shared, kept::add);
            shared.clear();
            while (shared.hasRemaining()) {
                shared.put((byte) '#');
            }
        }
        kept.forEach(frame -> frames.add(latin1(frame)));
        assertThat(frames).containsExactly("first line", "second line", "third");
    }

    /** The kinds of chunk buffer the engine may hand over. */
    enum Chunk {
        DIRECT, HEAP, DIRECT_LITTLE_ENDIAN
    }

    /**
     * Feeds a stream cut at the given places through one reused buffer, overwritten after each call as the event
     * loop's read buffer is, and checks that each chunk is used up.
     * @return the frames, as ISO-8859-1 text
     */
    static List<String> decode(Framing framing, byte[] stream, Chunk kind, int... cuts) {
        FrameDecoder decoder = framing.newDecoder();
        ByteBuffer shared = (kind == Chunk.HEAP) ? ByteBuffer.allocate(stream.length)
                : ByteBuffer.allocateDirect(Math.max(1, stream.length));
        if (kind == Chunk.DIRECT_LITTLE_ENDIAN) {
            shared.order(ByteOrder.LITTLE_ENDIAN);
        }
        List<String> frames = new ArrayList<>();
        int from = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = stream.length;
        for (int end : ends) {
            shared.clear();
            shared.put(stream, from, end - from).flip();
            decoder.decode(shared, sink(frames));
            assertThat(shared.hasRemaining()).as("chunk %d..%d used up", from, end).isFalse();
            shared.clear();
            while (shared.hasRemaining()) {
                shared.put((byte) 0x55);
            }
            from = end;
        }
        assertThat(decoder.takeUnfinished().hasRemaining()).as("nothing left after the last frame").isFalse();
        return frames;
    }

    static BusinessError failure(Framing framing, byte[] stream) {
        BusinessError error = catchThrowableOfType(() -> decode(framing, stream, Chunk.DIRECT), BusinessError.class);
        assertThat(error).as("decoding fails").isNotNull();
        assertThat(error.getCode()).isEqualTo(BusinessError.MESSAGE_TOO_LONG);
        return error;
    }

    private static FrameDecoder.Sink sink(List<String> frames) {
        return frame -> frames.add(latin1(frame));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuffer buffer) {
        return latin1(bytesOf(buffer));
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

}
