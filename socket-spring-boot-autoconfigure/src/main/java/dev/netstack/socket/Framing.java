package dev.netstack.socket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a byte stream is cut into whole messages (beyond the seed, whose TCP 'message' is a chunk of the stream): lines,
 * a delimiter, a length field, or fixed-size records, each with a maximum frame size.
 *
 * <p>Immutable, and shared freely: the state of a stream lives in the {@link FrameDecoder} that
 * {@link #newDecoder()} makes for it. Give it to a socket with {@link TCPSocket#setFraming(Framing)}, and each
 * 'message' is then one frame; {@link #encode(Object)} makes one send one frame for a peer that decodes the same way.
 * <pre>{@code
 * Framing lines = Framing.lines(8192);
 * socket.setFraming(lines);                                   // before connect()
 * socket.on(SocketEventType.MESSAGE, line -> handle(line.text()));
 * socket.send(new TCPSendOptions(lines.encode("PING")));      // sends "PING\n"
 * }</pre>
 * A frame over the maximum is an error of the stream ({@value BusinessError#MESSAGE_TOO_LONG}, naming the size and
 * the maximum); a bad parameter here is {@value BusinessError#PARAMETER_ERROR}, thrown at once, naming the value.
 */
public final class Framing {

    /** The largest frame any framing allows: about the largest array a JVM makes. */
    public static final int LARGEST_FRAME = Integer.MAX_VALUE - 8;

    private static final byte[] LF = {'\n'};

    private static final Framing NONE = new Framing(Kind.NONE, 0, null, 0, null, false, 0);

    private enum Kind {
        NONE, LINES, DELIMITER, LENGTH_FIELD, FIXED
    }

    private final Kind kind;

    /** The largest frame; for fixed-size records, their size. */
    private final int maxLength;

    /** The delimiter of lines and delimited frames. */
    private final byte[] delimiter;

    private final int fieldBytes;

    private final ByteOrder order;

    private final boolean lengthIncludesField;

    private final int adjustment;

    private Framing(Kind kind, int maxLength, byte[] delimiter, int fieldBytes, ByteOrder order,
            boolean lengthIncludesField, int adjustment) {
        this.kind = kind;
        this.maxLength = maxLength;
        this.delimiter = delimiter;
        this.fieldBytes = fieldBytes;
        this.order = order;
        this.lengthIncludesField = lengthIncludesField;
        this.adjustment = adjustment;
    }

    /**
     * No framing: each read is one message, as on a socket that was never given a framing. Lets a socket go back to
     * chunks of the stream.
     * @return the framing
     */
    public static Framing none() {
        return NONE;
    }

    /**
     * Lines: a frame ends at a line feed (LF), and a carriage return just before it (CRLF) is part of the ending too;
     * neither is in the frame. An empty line is an empty frame. {@link #encode} appends LF.
     * @param maxLength the longest line, without its ending, 1 to {@value #LARGEST_FRAME} bytes
     * @return the framing
     * @throws BusinessError 401 for a maximum out of range
     */
    public static Framing lines(int maxLength) {
        return new Framing(Kind.LINES, checkMaxLength("maxLength", maxLength), LF, 0, null, false, 0);
    }

    /**
     * Delimited frames: a frame ends at the first occurrence of the delimiter, which is not part of it (e.g. a zero
     * byte, or {@code "\r\n\r\n"}). {@link #encode} appends the delimiter.
     * @param delimiter the bytes that end a frame, at least one; copied
     * @param maxLength the largest frame, without the delimiter, 1 to {@value #LARGEST_FRAME} bytes
     * @return the framing
     * @throws BusinessError 401 for a missing or empty delimiter or a maximum out of range
     */
    public static Framing delimiter(byte[] delimiter, int maxLength) {
        if (delimiter == null) {
            throw parameter("delimiter must not be null");
        }
        if (delimiter.length == 0) {
            throw parameter("delimiter must not be empty: it needs at least one byte");
        }
        return new Framing(Kind.DELIMITER, checkMaxLength("maxLength", maxLength), delimiter.clone(), 0, null, false,
                0);
    }

    /**
     * Length-prefixed frames with the common layout: a big-endian unsigned length field that counts the bytes after
     * it. The same as {@code lengthField(fieldBytes, ByteOrder.BIG_ENDIAN, false, 0, maxLength)}.
     * @param fieldBytes the size of the length field: 1, 2 or 4 bytes
     * @param maxLength the largest frame, without the field, 1 to {@value #LARGEST_FRAME} bytes
     * @return the framing
     * @throws BusinessError 401 for a field size other than 1, 2 or 4, or a maximum out of range
     */
    public static Framing lengthField(int fieldBytes, int maxLength) {
        return lengthField(fieldBytes, ByteOrder.BIG_ENDIAN, false, 0, maxLength);
    }

    /**
     * Length-prefixed frames: an unsigned length field first, then the frame. The frame's size is the field's value,
     * plus {@code adjustment}, less the field's own size when {@code lengthIncludesField}; the frame delivered is the
     * bytes after the field. A size below 0 or over the maximum fails the stream.
     * @param fieldBytes the size of the length field: 1, 2 or 4 bytes
     * @param order the byte order of the field
     * @param lengthIncludesField whether the field's value counts the field itself
     * @param adjustment added to the field's value, e.g. for a header between the field and the frame that the value
     * does not count (positive) or a trailer that it counts (negative)
     * @param maxLength the largest frame, without the field, 1 to {@value #LARGEST_FRAME} bytes
     * @return the framing
     * @throws BusinessError 401 for a field size other than 1, 2 or 4, a missing order, or a maximum out of range
     */
    public static Framing lengthField(int fieldBytes, ByteOrder order, boolean lengthIncludesField, int adjustment,
            int maxLength) {
        if (fieldBytes != 1 && fieldBytes != 2 && fieldBytes != 4) {
            throw parameter("fieldBytes " + fieldBytes + " is not 1, 2 or 4");
        }
        if (order == null) {
            throw parameter("order must not be null: ByteOrder.BIG_ENDIAN or ByteOrder.LITTLE_ENDIAN");
        }
        return new Framing(Kind.LENGTH_FIELD, checkMaxLength("maxLength", maxLength), null, fieldBytes, order,
                lengthIncludesField, adjustment);
    }

    /**
     * Fixed-size records: every frame has the same size, and nothing marks its end.
     * @param size the size of a record, 1 to {@value #LARGEST_FRAME} bytes
     * @return the framing
     * @throws BusinessError 401 for a size out of range
     */
    public static Framing fixed(int size) {
        return new Framing(Kind.FIXED, checkMaxLength("size", size), null, 0, null, false, 0);
    }

    /**
     * Makes the decoder of one stream. Each socket or connection needs its own: a decoder holds the unfinished frame
     * of its stream.
     * @return a new decoder ({@link #none()} gives a shared one, which holds nothing)
     */
    public FrameDecoder newDecoder() {
        return switch (this.kind) {
            case NONE -> ChunkFrameDecoder.INSTANCE;
            case LINES -> new DelimiterFrameDecoder(LF, true, this.maxLength);
            case DELIMITER -> new DelimiterFrameDecoder(this.delimiter, false, this.maxLength);
            case LENGTH_FIELD -> LengthFrameDecoder.lengthField(this.fieldBytes, this.order, this.lengthIncludesField,
                    this.adjustment, this.maxLength);
            case FIXED -> LengthFrameDecoder.fixed(this.maxLength);
        };
    }

    /**
     * Frames one message for a send, strings as UTF-8: {@code socket.send(new TCPSendOptions(framing.encode(data)))}.
     * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer} (its remaining bytes; its position is not
     * moved)
     * @return the frame as the peer's decoder expects it, positioned at its first byte
     * @throws BusinessError 401 when the data is not one frame of this framing, as {@link #encode(Object, Charset)}
     */
    public ByteBuffer encode(Object data) {
        return encode(data, StandardCharsets.UTF_8);
    }

    /**
     * Frames one message for a send: lines get LF after them, delimited frames their delimiter, length-prefixed
     * frames their length field. Fixed-size records and {@link #none()} are returned as they are, not copied (as
     * {@link TCPSendOptions} takes them: leave them unchanged until the send completes); the others are copied once.
     * @param data a {@code String}, {@code byte[]} or {@code ByteBuffer} (its remaining bytes; its position is not
     * moved)
     * @param charset the encoding of a string
     * @return the frame as the peer's decoder expects it, positioned at its first byte
     * @throws BusinessError 401 for data of another type, data over the maximum, a record of another size, a length
     * that the field cannot hold, or data that the receiver would cut short: a line that holds LF or ends with CR, a
     * delimited frame that holds its delimiter
     */
    public ByteBuffer encode(Object data, Charset charset) {
        if (charset == null) {
            throw parameter("charset must not be null");
        }
        ByteBuffer payload = payload(data, charset);
        int size = payload.remaining();
        if (this.kind == Kind.NONE) {
            return payload;
        }
        if (this.kind == Kind.FIXED) {
            if (size != this.maxLength) {
                throw parameter("data of " + size + " bytes is not one record of " + this.maxLength + " bytes");
            }
            return payload;
        }
        if (size > this.maxLength) {
            throw parameter("data of " + size + " bytes is over the maximum frame of " + this.maxLength + " bytes");
        }
        return (this.kind == Kind.LENGTH_FIELD) ? prefixed(payload, size) : delimited(payload, size);
    }

    private ByteBuffer delimited(ByteBuffer payload, int size) {
        byte[] frame = new byte[size + this.delimiter.length];
        payload.get(payload.position(), frame, 0, size);
        System.arraycopy(this.delimiter, 0, frame, size, this.delimiter.length);
        ByteBuffer encoded = ByteBuffer.wrap(frame);
        int end = FrameBytes.indexOf(encoded, 0, frame.length, this.delimiter);
        if (end != size) {
            throw parameter("data holds " + describe(this.delimiter) + " at byte " + end
                    + ": the receiver would end the frame there");
        }
        if (this.kind == Kind.LINES && size > 0 && frame[size - 1] == '\r') {
            throw parameter("data ends with CR (0x0d): the receiver would take it as part of the line ending");
        }
        return encoded;
    }

    private ByteBuffer prefixed(ByteBuffer payload, int size) {
        long field = size - (long) this.adjustment + (this.lengthIncludesField ? this.fieldBytes : 0);
        long largest = (1L << (8 * this.fieldBytes)) - 1;
        if (field < 0 || field > largest) {
            throw parameter("data of " + size + " bytes needs length field " + field + ", outside 0.." + largest
                    + " for " + this.fieldBytes + " byte" + (this.fieldBytes > 1 ? "s" : ""));
        }
        ByteBuffer frame = ByteBuffer.allocate(this.fieldBytes + size).order(this.order);
        switch (this.fieldBytes) {
            case 1 -> frame.put((byte) field);
            case 2 -> frame.putShort((short) field);
            default -> frame.putInt((int) field);
        }
        frame.put(payload.duplicate());
        return frame.flip().order(ByteOrder.BIG_ENDIAN);
    }

    /** The bytes of send data, not copied: as {@link TCPSendOptions} takes it. */
    private static ByteBuffer payload(Object data, Charset charset) {
        if (data instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (data instanceof ByteBuffer buffer) {
            // A duplicate: the caller's position and limit stay where they are.
            return buffer.duplicate();
        }
        if (data instanceof String text) {
            return ByteBuffer.wrap(text.getBytes(charset));
        }
        if (data == null) {
            throw parameter("data must not be null");
        }
        throw parameter("data of type " + data.getClass().getName() + " is not a String, byte[] or ByteBuffer");
    }

    private static int checkMaxLength(String name, int value) {
        if (value < 1 || value > LARGEST_FRAME) {
            throw parameter(name + " " + value + " is out of range 1.." + LARGEST_FRAME);
        }
        return value;
    }

    private static BusinessError parameter(String message) {
        return new BusinessError(BusinessError.PARAMETER_ERROR, message);
    }

    private static String describe(byte[] bytes) {
        if (Arrays.equals(bytes, LF)) {
            return "LF (0x0a)";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Framing that && this.kind == that.kind && this.maxLength == that.maxLength
                && Arrays.equals(this.delimiter, that.delimiter) && this.fieldBytes == that.fieldBytes
                && this.order == that.order && this.lengthIncludesField == that.lengthIncludesField
                && this.adjustment == that.adjustment;
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.kind, this.maxLength, Arrays.hashCode(this.delimiter), this.fieldBytes, this.order,
                this.lengthIncludesField, this.adjustment);
    }

    /**
     * Describes the framing with every parameter.
     * @return e.g. {@code Framing.lines(maxLength=8192)}
     */
    @Override
    public String toString() {
        return switch (this.kind) {
            case NONE -> "Framing.none()";
            case LINES -> "Framing.lines(maxLength=" + this.maxLength + ")";
            case DELIMITER -> "Framing.delimiter(" + describe(this.delimiter) + ", maxLength=" + this.maxLength + ")";
            case LENGTH_FIELD -> "Framing.lengthField(fieldBytes=" + this.fieldBytes + ", order=" + this.order
                    + ", lengthIncludesField=" + this.lengthIncludesField + ", adjustment=" + this.adjustment
                    + ", maxLength=" + this.maxLength + ")";
            case FIXED -> "Framing.fixed(size=" + this.maxLength + ")";
        };
    }

}
