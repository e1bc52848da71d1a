package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Framing values: their parameters (401 naming the value), the encoder (one send is one frame), and what they are as
 * values (immutable, shared, one decoder per stream).
 */
class FramingTests {

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of((ThrowingCallable) () -> Framing.lines(0), "maxLength 0 is out of range 1..2147483639"),
                Arguments.of((ThrowingCallable) () -> Framing.lines(-5), "maxLength -5 is out of range 1..2147483639"),
                Arguments.of((ThrowingCallable) () -> Framing.lines(Integer.MAX_VALUE),
                        "maxLength 2147483647 is out of range 1..2147483639"),
                Arguments.of((ThrowingCallable) () -> Framing.delimiter(null, 10), "delimiter must not be null"),
                Arguments.of((ThrowingCallable) () -> Framing.delimiter(new byte[0], 10),
                        "delimiter must not be empty: it needs at least one byte"),
                Arguments.of((ThrowingCallable) () -> Framing.delimiter(new byte[] {0}, 0),
                        "maxLength 0 is out of range 1..2147483639"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(3, 100), "fieldBytes 3 is not 1, 2 or 4"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(0, 100), "fieldBytes 0 is not 1, 2 or 4"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(8, ByteOrder.BIG_ENDIAN, false, 0, 100),
                        "fieldBytes 8 is not 1, 2 or 4"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(2, null, false, 0, 100),
                        "order must not be null: ByteOrder.BIG_ENDIAN or ByteOrder.LITTLE_ENDIAN"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(2, -1),
                        "maxLength -1 is out of range 1..2147483639"),
                Arguments.of((ThrowingCallable) () -> Framing.fixed(0), "size 0 is out of range 1..2147483639"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badParameters")
    void aBadParameterIs401NamingTheValue(ThrowingCallable call, String message) {
        BusinessError error = catchThrowableOfType(call, BusinessError.class);
        assertThat(error).as("a BusinessError is thrown").isNotNull();
        assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(error).hasMessage(message);
    }

    static Stream<Arguments> badSends() {
        Framing lines = Framing.lines(10);
        return Stream.of(
                Arguments.of((ThrowingCallable) () -> lines.encode("two\nlines"),
                        "data holds LF (0x0a) at byte 3: the receiver would end the frame there"),
                Arguments.of((ThrowingCallable) () -> lines.encode("cr\r"),
                        "data ends with CR (0x0d): the receiver would take it as part of the line ending"),
                Arguments.of((ThrowingCallable) () -> lines.encode("eleven byte"),
                        "data of 11 bytes is over the maximum frame of 10 bytes"),
                Arguments.of((ThrowingCallable) () -> lines.encode(42), "data of type java.lang.Integer is not a "
                        + "String, byte[] or ByteBuffer"),
                Arguments.of((ThrowingCallable) () -> lines.encode(null), "data must not be null"),
                Arguments.of((ThrowingCallable) () -> lines.encode("x", null), "charset must not be null"),
                Arguments.of((ThrowingCallable) () -> Framing.delimiter(new byte[] {0, 0}, 10)
                    .encode(new byte[] {1, 0}), "data holds 0x0000 at byte 1: the receiver would end the frame there"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(1, 1000).encode(new byte[256]),
                        "data of 256 bytes needs length field 256, outside 0..255 for 1 byte"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(2, ByteOrder.BIG_ENDIAN, true, 0, 70000)
                    .encode(new byte[65534]), "data of 65534 bytes needs length field 65536, outside 0..65535 for 2 bytes"),
                Arguments.of((ThrowingCallable) () -> Framing.lengthField(1, ByteOrder.BIG_ENDIAN, false, 3, 10)
                    .encode("ab"), "data of 2 bytes needs length field -1, outside 0..255 for 1 byte"),
                Arguments.of((ThrowingCallable) () -> Framing.fixed(4).encode("abc"),
                        "data of 3 bytes is not one record of 4 bytes"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSends")
    void dataThatIsNotOneFrameIs401NamingTheValue(ThrowingCallable call, String message) {
        aBadParameterIs401NamingTheValue(call, message);
    }

    @Test
    void theEncoderAddsTheEndingOrTheField() {
        assertThat(bytes(Framing.lines(10).encode("hi"))).containsExactly('h', 'i', '\n');
        assertThat(bytes(Framing.lines(10).encode(""))).containsExactly('\n');
        assertThat(bytes(Framing.lines(10).encode("\u00e9", StandardCharsets.UTF_16BE))).containsExactly(0, 0xe9, '\n');
        assertThat(bytes(Framing.delimiter(new byte[] {0}, 10).encode(new byte[] {1, 2}))).containsExactly(1, 2, 0);
        assertThat(bytes(Framing.lengthField(2, 100).encode("abc"))).containsExactly(0, 3, 'a', 'b', 'c');
        assertThat(bytes(Framing.lengthField(4, ByteOrder.LITTLE_ENDIAN, true, 0, 100).encode("ab")))
            .containsExactly(6, 0, 0, 0, 'a', 'b');
        assertThat(bytes(Framing.lengthField(1, ByteOrder.BIG_ENDIAN, false, 2, 255).encode("abc")))
            .containsExactly(1, 'a', 'b', 'c');
        assertThat(bytes(Framing.lengthField(1, 255).encode(new byte[255]))).hasSize(256).startsWith(0xff);
        assertThat(bytes(Framing.lengthField(2, ByteOrder.LITTLE_ENDIAN, false, 0, 65535).encode(new byte[65535])))
            .hasSize(65537).startsWith(0xff, 0xff);
    }

    @Test
    void theEncoderLeavesTheCallersBufferWhereItWas() {
        ByteBuffer data = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.US_ASCII));
        data.position(2);
        assertThat(bytes(Framing.lengthField(1, 10).encode(data))).containsExactly(5, 'h', 'e', 'l', 'l', 'o');
        assertThat(bytes(Framing.lines(10).encode(data))).containsExactly('h', 'e', 'l', 'l', 'o', '\n');
        assertThat(data.position()).isEqualTo(2);
        assertThat(data.limit()).isEqualTo(7);
    }

    @Test
    void fixedRecordsAndNoFramingAreSentAsTheyAre() {
        byte[] record = {1, 2, 3, 4};
        ByteBuffer encoded = Framing.fixed(4).encode(record);
        assertThat(encoded.array()).isSameAs(record);
        assertThat(bytes(Framing.none().encode("a\nb"))).containsExactly('a', '\n', 'b');
    }

    @Test
    void eachStreamGetsADecoderOfItsOwn() {
        Framing lines = Framing.lines(100);
        FrameDecoder one = lines.newDecoder();
        FrameDecoder other = lines.newDecoder();
        assertThat(one).isNotSameAs(other);
        one.decode(ByteBuffer.wrap("from one ".getBytes(StandardCharsets.US_ASCII)), frame -> true);
        List<String> frames = new java.util.ArrayList<>();
        other.decode(ByteBuffer.wrap("other\n".getBytes(StandardCharsets.US_ASCII)),
                frame -> frames.add(new String(frame, StandardCharsets.US_ASCII)));
        assertThat(frames).containsExactly("other");
    }

    @Test
    void theDelimiterIsCopiedSoTheCallerCannotChangeIt() {
        byte[] delimiter = {'|'};
        Framing framing = Framing.delimiter(delimiter, 10);
        delimiter[0] = '#';
        assertThat(FrameDecoderTests.decode(framing, "a|b|".getBytes(StandardCharsets.US_ASCII),
                FrameDecoderTests.Chunk.DIRECT)).containsExactly("a", "b");
        assertThat(framing).isEqualTo(Framing.delimiter(new byte[] {'|'}, 10))
            .hasSameHashCodeAs(Framing.delimiter(new byte[] {'|'}, 10));
    }

    @Test
    void valuesDescribeThemselvesAndCompareByTheirParameters() {
        assertThat(Framing.lines(8192)).hasToString("Framing.lines(maxLength=8192)").isEqualTo(Framing.lines(8192))
            .isNotEqualTo(Framing.lines(8191)).isNotEqualTo(Framing.delimiter(new byte[] {'\n'}, 8192));
        assertThat(Framing.delimiter(new byte[] {0, (byte) 0xff}, 5))
            .hasToString("Framing.delimiter(0x00ff, maxLength=5)");
        assertThat(Framing.lengthField(2, 100)).hasToString("Framing.lengthField(fieldBytes=2, order=BIG_ENDIAN, "
                + "lengthIncludesField=false, adjustment=0, maxLength=100)")
            .isEqualTo(Framing.lengthField(2, ByteOrder.BIG_ENDIAN, false, 0, 100))
            .isNotEqualTo(Framing.lengthField(2, ByteOrder.LITTLE_ENDIAN, false, 0, 100))
            .isNotEqualTo(Framing.lengthField(2, ByteOrder.BIG_ENDIAN, true, 0, 100))
            .isNotEqualTo(Framing.lengthField(2, ByteOrder.BIG_ENDIAN, false, 1, 100));
        assertThat(Framing.fixed(16)).hasToString("Framing.fixed(size=16)").isNotEqualTo(Framing.lines(16));
        assertThat(Framing.none()).hasToString("Framing.none()").isSameAs(Framing.none());
    }

    @Test
    void theByteSearchFindsWhatAPlainLoopFinds() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(80)];
            for (int i = 0; i < data.length; i++) {
                // Few values, so that hits are common, including 0x80 and 0xff next to the value sought.
                data[i] = (byte) new int[] {0x0a, 0x0b, 0x80, 0xff, 0x00, 0x8a}[random.nextInt(6)];
            }
            ByteBuffer heap = ByteBuffer.wrap(data);
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip().order(ByteOrder.LITTLE_ENDIAN);
            int from = data.length == 0 ? 0 : random.nextInt(data.length);
            int to = from + random.nextInt(data.length - from + 1);
            byte sought = (byte) new int[] {0x0a, 0x80, 0xff, 0x8a}[random.nextInt(4)];
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (data[i] == sought) {
                    expected = i;
                    break;
                }
            }
            assertThat(FrameBytes.indexOf(heap, from, to, sought)).isEqualTo(expected);
            assertThat(FrameBytes.indexOf(direct, from, to, sought)).isEqualTo(expected);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

}
