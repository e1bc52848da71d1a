package dev.netstack.socket;

import java.util.Arrays;

/**
 * A certificate as bytes: the reference's {@code X509CertRawData} ({@code cert.EncodingBlob}).
 *
 * <p>The array is not copied: treat it as read-only.
 *
 * @param data the encoded certificate
 * @param encodingFormat {@link #FORMAT_DER} (0) or {@link #FORMAT_PEM} (1)
 */
public record X509CertRawData(byte[] data, int encodingFormat) {

    /** The certificate's DER bytes. */
    public static final int FORMAT_DER = 0;

    /** PEM text ({@code -----BEGIN CERTIFICATE-----}) in US-ASCII. */
    public static final int FORMAT_PEM = 1;

    /** Equal when the format and every byte are equal (a record would compare the arrays by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof X509CertRawData that && this.encodingFormat == that.encodingFormat
                && Arrays.equals(this.data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(this.data) + this.encodingFormat;
    }

    @Override
    public String toString() {
        String format = switch (this.encodingFormat) {
            case FORMAT_DER -> "DER";
            case FORMAT_PEM -> "PEM";
            default -> Integer.toString(this.encodingFormat);
        };
        return "X509CertRawData[" + ((this.data != null) ? this.data.length : 0) + " bytes, " + format + "]";
    }

}
