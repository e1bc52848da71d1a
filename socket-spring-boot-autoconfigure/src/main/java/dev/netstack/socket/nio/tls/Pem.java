package dev.netstack.socket.nio.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.Errors;

/**
 * Reads the {@code -----BEGIN label-----} blocks of PEM text (RFC 7468, with the RFC 1421 headers that encrypted
 * traditional keys carry). Text outside the blocks, such as the "Bag Attributes" that {@code openssl pkcs12} writes,
 * is ignored. Failures are 401 errors that name the field, never its content: the text may hold a key.
 */
final class Pem {

    private static final String BEGIN = "-----BEGIN ";

    private static final String END = "-----END ";

    private static final String DASHES = "-----";

    private Pem() {
    }

    /**
     * One block.
     * @param label the label, e.g. {@code CERTIFICATE} or {@code RSA PRIVATE KEY}
     * @param headers the RFC 1421 headers, e.g. {@code Proc-Type}; empty for most blocks
     * @param der the decoded content
     */
    record Block(String label, Map<String, String> headers, byte[] der) {

        @Override
        public String toString() {
            return "Block[" + this.label + ", " + this.der.length + " bytes]";
        }

    }

    /**
     * Reads every block of the text.
     * @param text the PEM text
     * @param field what the text is, for messages, e.g. {@code ca[1]}
     * @return the blocks in order; empty when the text has none
     * @throws BusinessError 401 when a block is not closed, closed with another label, or not Base64
     */
    static List<Block> read(String text, String field) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith(BEGIN)) {
                continue;
            }
            String label = label(line, BEGIN, field);
            int number = blocks.size() + 1;
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            boolean ended = false;
            boolean inHeaders = true;
            for (i++; i < lines.length; i++) {
                String content = lines[i].trim();
                if (content.startsWith(END)) {
                    String endLabel = label(content, END, field);
                    if (!endLabel.equals(label)) {
                        throw Errors.parameter(field + ": PEM block " + number + " begins as '" + label
                                + "' but ends as '" + endLabel + "'");
                    }
                    ended = true;
                    break;
                }
                int colon = content.indexOf(':');
                if (inHeaders && colon > 0) {
                    headers.put(content.substring(0, colon).trim(), content.substring(colon + 1).trim());
                    continue;
                }
                inHeaders = false;
                base64.append(content);
            }
            if (!ended) {
                throw Errors.parameter(field + ": PEM block " + number + " '" + label + "' has no '" + END + label
                        + DASHES + "' line");
            }
            blocks.add(new Block(label, headers, decode(base64.toString(), field, number, label)));
        }
        return blocks;
    }

    private static String label(String line, String marker, String field) {
        if (!line.endsWith(DASHES) || line.length() < marker.length() + DASHES.length()) {
            throw Errors.parameter(field + ": malformed PEM line '" + line + "'");
        }
        return line.substring(marker.length(), line.length() - DASHES.length()).trim();
    }

    private static byte[] decode(String base64, String field, int number, String label) {
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException ex) {
            throw Errors.parameter(field + ": PEM block " + number + " '" + label + "' is not valid Base64 ("
                    + ex.getMessage() + ")");
        }
    }

}
