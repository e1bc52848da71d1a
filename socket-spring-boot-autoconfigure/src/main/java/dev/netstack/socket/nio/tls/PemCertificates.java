package dev.netstack.socket.nio.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.Errors;

/**
 * Reads the {@code ca} and {@code cert} lists of the secure options: PEM texts, each with one or more
 * {@code CERTIFICATE} blocks.
 */
final class PemCertificates {

    /** The reference's limit on {@code ca} and {@code cert} entries. */
    static final int MAX_ENTRIES = 1000;

    private static final String CERTIFICATE = "CERTIFICATE";

    private PemCertificates() {
    }

    /**
     * Reads every certificate of the list, in order.
     * @param pems the PEM texts
     * @param field {@code ca} or {@code cert}, for messages
     * @return the certificates, at least one per entry
     * @throws BusinessError 401 naming the entry that is {@code null}, holds no certificate, holds another kind of
     * block, or is not X.509; or when there are more than {@value #MAX_ENTRIES} entries
     */
    static List<X509Certificate> read(List<String> pems, String field) {
        if (pems.size() > MAX_ENTRIES) {
            throw Errors.parameter(field + " has " + pems.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
        }
        CertificateFactory factory = factory();
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < pems.size(); i++) {
            String entry = field + "[" + i + "]";
            String pem = pems.get(i);
            if (pem == null) {
                throw Errors.parameter(entry + " is null");
            }
            List<Pem.Block> blocks = Pem.read(pem, entry);
            if (blocks.isEmpty()) {
                throw Errors.parameter(entry + " holds no PEM certificate (a '-----BEGIN CERTIFICATE-----' block)");
            }
            for (int b = 0; b < blocks.size(); b++) {
                Pem.Block block = blocks.get(b);
                if (!block.label().equals(CERTIFICATE)) {
                    throw Errors.parameter(entry + ": PEM block " + (b + 1) + " is '" + block.label() + "', not '"
                            + CERTIFICATE + "'");
                }
                certificates.add(parse(factory, block.der(), entry, b + 1));
            }
        }
        return certificates;
    }

    private static X509Certificate parse(CertificateFactory factory, byte[] der, String entry, int block) {
        try {
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        }
        catch (CertificateException | RuntimeException ex) {
            throw Errors.parameter(entry + ": PEM block " + block + " is not an X.509 certificate ("
                    + ex.getMessage() + ")");
        }
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        }
        catch (CertificateException ex) {
            throw new BusinessError(BusinessError.INTERNAL_ERROR, "the JDK has no X.509 certificate factory", ex);
        }
    }

}
