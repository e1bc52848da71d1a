package dev.netstack.socket.nio.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DER structures that key parsing needs: reading a tag-length-value element and its children, and writing
 * one. Private keys in PKCS#1 and SEC1 form carry no algorithm; the JDK reads only PKCS#8, so they are wrapped.
 */
final class Der {

    static final int INTEGER = 0x02;

    static final int OCTET_STRING = 0x04;

    static final int NULL = 0x05;

    static final int OBJECT_IDENTIFIER = 0x06;

    static final int SEQUENCE = 0x30;

    /** {@code [0]} constructed: the curve parameters of a SEC1 key. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /**
     * One element: its tag and the bytes of its value.
     * @param tag the tag byte
     * @param value the content octets
     */
    record Element(int tag, byte[] value) {

        /**
         * Reads the value as a sequence of elements.
         * @return the children in order
         * @throws IllegalArgumentException when the value is not well-formed DER
         */
        List<Element> children() {
            List<Element> children = new ArrayList<>();
            int[] position = { 0 };
            while (position[0] < this.value.length) {
                children.add(read(this.value, position));
            }
            return children;
        }

        /**
         * Reads the value as an object identifier.
         * @return the dotted form, e.g. {@code 1.2.840.10045.2.1}
         * @throws IllegalArgumentException when the element is not an object identifier
         */
        String oid() {
            if (this.tag != OBJECT_IDENTIFIER || this.value.length == 0) {
                throw new IllegalArgumentException("expected an object identifier, found tag " + this.tag);
            }
            StringBuilder dotted = new StringBuilder();
            long component = 0;
            for (int i = 0; i < this.value.length; i++) {
                component = (component << 7) | (this.value[i] & 0x7F);
                if ((this.value[i] & 0x80) == 0) {
                    if (dotted.length() == 0) {
                        int first = (int) Math.min(component / 40, 2);
                        dotted.append(first).append('.').append(component - 40L * first);
                    }
                    else {
                        dotted.append('.').append(component);
                    }
                    component = 0;
                }
            }
            return dotted.toString();
        }

    }

    /**
     * Reads the one element that makes up {@code der}.
     * @param der the encoding
     * @return the element
     * @throws IllegalArgumentException when the bytes are not one well-formed element
     */
    static Element parse(byte[] der) {
        int[] position = { 0 };
        Element element = read(der, position);
        if (position[0] != der.length) {
            throw new IllegalArgumentException((der.length - position[0]) + " bytes follow the DER element");
        }
        return element;
    }

    private static Element read(byte[] der, int[] position) {
        int at = position[0];
        if (der.length - at < 2) {
            throw new IllegalArgumentException("DER element truncated at byte " + at);
        }
        int tag = der[at++] & 0xFF;
        int length = der[at++] & 0xFF;
        if (length > 0x7F) {
            int lengthBytes = length & 0x7F;
            if (lengthBytes == 0 || lengthBytes > 3 || der.length - at < lengthBytes) {
                throw new IllegalArgumentException("bad DER length at byte " + (at - 1));
            }
            length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                length = (length << 8) | (der[at++] & 0xFF);
            }
        }
        if (der.length - at < length) {
            throw new IllegalArgumentException("DER element of " + length + " bytes truncated at byte " + at);
        }
        position[0] = at + length;
        return new Element(tag, Arrays.copyOfRange(der, at, at + length));
    }

    /**
     * Encodes one element.
     * @param tag the tag byte
     * @param parts the content, concatenated
     * @return the encoding
     */
    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        }
        else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        }
        else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        }
        else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Encodes an object identifier.
     * @param dotted e.g. {@code 1.2.840.113549.1.1.1}
     * @return the encoded element
     */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        long first = Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]);
        writeBase128(content, first);
        for (int i = 2; i < parts.length; i++) {
            writeBase128(content, Long.parseLong(parts[i]));
        }
        return encode(OBJECT_IDENTIFIER, content.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int groups = 1;
        for (long rest = value >>> 7; rest != 0; rest >>>= 7) {
            groups++;
        }
        for (int i = groups - 1; i >= 0; i--) {
            int septet = (int) ((value >>> (7 * i)) & 0x7F);
            out.write((i > 0) ? (septet | 0x80) : septet);
        }
    }

}
