package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.nio.Errors;

/**
 * Reads the {@code key} of the secure options: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}),
 * SEC1 ({@code EC PRIVATE KEY}, after an optional {@code EC PARAMETERS} block) or encrypted PKCS#8
 * ({@code ENCRYPTED PRIVATE KEY}, PBES2 or PBES1 as the JDK implements them). Messages never quote the key.
 */
final class PemKeys {

    private static final String FIELD = "key";

    private static final String RSA_OID = "1.2.840.113549.1.1.1";

    private static final String EC_OID = "1.2.840.10045.2.1";

    private static final String PBES2_OID = "1.2.840.113549.1.5.13";

    /** PKCS#8 algorithm identifiers and the JDK's key factory names. */
    private static final Map<String, String> ALGORITHMS = Map.of(RSA_OID, "RSA", "1.2.840.113549.1.1.10",
            "RSASSA-PSS", EC_OID, "EC", "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448", "1.2.840.10040.4.1", "DSA");

    private PemKeys() {
    }

    /**
     * Reads the private key.
     * @param pem the PEM text
     * @param password the password of an encrypted key; ignored for a key that is not encrypted
     * @return the key
     * @throws BusinessError 401 when the text holds no supported key, the key is encrypted and the password is
     * missing or wrong, or the key is malformed
     */
    static PrivateKey read(String pem, String password) {
        List<Pem.Block> blocks = Pem.read(pem, FIELD);
        String curve = null;
        for (Pem.Block block : blocks) {
            if (block.label().equals("EC PARAMETERS")) {
                curve = structure(() -> Der.parse(block.der()).oid(), "EC PARAMETERS block");
            }
            else if (block.label().endsWith("PRIVATE KEY")) {
                return generate(pkcs8(block, curve, password));
            }
        }
        throw Errors.parameter(FIELD + " holds no PEM private key (a '-----BEGIN PRIVATE KEY-----' block, or its "
                + "PKCS#1, SEC1 or encrypted PKCS#8 form)");
    }

    private static byte[] pkcs8(Pem.Block block, String curve, String password) {
        String procType = block.headers().get("Proc-Type");
        if (procType != null && procType.contains("ENCRYPTED")) {
            throw Errors.parameter(FIELD + " is a traditional OpenSSL key encrypted with its Proc-Type header, which "
                    + "is not supported: convert it to encrypted PKCS#8 ('openssl pkcs8 -topk8')");
        }
        return switch (block.label()) {
            case "PRIVATE KEY" -> block.der();
            case "ENCRYPTED PRIVATE KEY" -> decrypt(block.der(), password);
            case "RSA PRIVATE KEY" -> wrap(Der.oid(RSA_OID), Der.encode(Der.NULL), block.der());
            case "EC PRIVATE KEY" -> wrap(Der.oid(EC_OID), Der.oid(ecCurve(block.der(), curve)), block.der());
            default -> throw Errors.parameter(FIELD + ": a '" + block.label() + "' block is not supported; use PKCS#8 "
                    + "('PRIVATE KEY'), PKCS#1 ('RSA PRIVATE KEY'), SEC1 ('EC PRIVATE KEY') or encrypted PKCS#8");
        };
    }

    /** A PKCS#8 PrivateKeyInfo around a key that names no algorithm of its own. */
    private static byte[] wrap(byte[] algorithm, byte[] parameters, byte[] key) {
        return Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] { 0 }),
                Der.encode(Der.SEQUENCE, algorithm, parameters), Der.encode(Der.OCTET_STRING, key));
    }

    /** The named curve of a SEC1 key: its own {@code [0]} parameters, else the EC PARAMETERS block before it. */
    private static String ecCurve(byte[] sec1, String fromParameters) {
        String own = structure(() -> {
            for (Der.Element child : Der.parse(sec1).children()) {
                if (child.tag() == Der.CONTEXT_0) {
                    return child.children().get(0).oid();
                }
            }
            return null;
        }, "EC PRIVATE KEY block");
        String curve = (own != null) ? own : fromParameters;
        if (curve == null) {
            throw Errors.parameter(
                    FIELD + ": the EC PRIVATE KEY names no curve, and no EC PARAMETERS block precedes it");
        }
        return curve;
    }

    private static byte[] decrypt(byte[] der, String password) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        }
        catch (IOException | RuntimeException ex) {
            throw Errors.parameter(FIELD + ": the ENCRYPTED PRIVATE KEY block is not PKCS#8 EncryptedPrivateKeyInfo ("
                    + ex.getMessage() + ")");
        }
        if (password == null) {
            throw Errors.parameter(FIELD + " is encrypted: set password");
        }
        AlgorithmParameters parameters = info.getAlgParameters();
        String algorithm = info.getAlgName();
        if (parameters != null && (algorithm.equalsIgnoreCase("PBES2") || algorithm.equals(PBES2_OID))) {
            // PBES2 names its key derivation and cipher in the parameters, e.g. PBEWithHmacSHA256AndAES_256.
            algorithm = parameters.toString();
        }
        Cipher cipher;
        SecretKeyFactory keys;
        try {
            cipher = Cipher.getInstance(algorithm);
            keys = SecretKeyFactory.getInstance(algorithm);
        }
        catch (NoSuchAlgorithmException | NoSuchPaddingException | RuntimeException ex) {
            throw Errors.parameter(FIELD + " is encrypted with " + algorithm + ", which this JDK does not support");
        }
        PBEKeySpec secret = new PBEKeySpec(password.toCharArray());
        try {
            cipher.init(Cipher.DECRYPT_MODE, keys.generateSecret(secret), parameters);
            return info.getKeySpec(cipher).getEncoded();
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            throw Errors.parameter("password does not decrypt " + FIELD + " (encrypted with " + algorithm + ")");
        }
        finally {
            secret.clearPassword();
        }
    }

    private static PrivateKey generate(byte[] pkcs8) {
        String oid = structure(() -> Der.parse(pkcs8).children().get(1).children().get(0).oid(),
                "PKCS#8 PrivateKeyInfo");
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw Errors.parameter(FIELD + " is of algorithm " + oid + ", which is not RSA, RSASSA-PSS, EC, Ed25519, "
                    + "Ed448 or DSA");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            throw Errors.parameter(FIELD + " is not a valid " + algorithm + " private key (" + ex.getMessage() + ")");
        }
    }

    /**
     * Checks that the key belongs to the certificate, so that a mismatch fails here with 401 instead of in every
     * handshake.
     * @param key the private key
     * @param certificate the first certificate of {@code cert}
     * @throws BusinessError 401 when the key does not belong to the certificate
     */
    static void requireMatch(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        boolean matches;
        if (key instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            matches = rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        else {
            matches = signatureVerifies(key, publicKey);
        }
        if (!matches) {
            throw Errors.parameter(FIELD + " (" + key.getAlgorithm() + ") does not belong to cert[0] ("
                    + certificate.getSubjectX500Principal().getName() + ", a " + publicKey.getAlgorithm() + " key)");
        }
    }

    private static boolean signatureVerifies(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "RSA" -> "SHA256withRSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm();
        };
        if (algorithm == null) {
            // A PSS signature needs parameters that the certificate may fix; the handshake will tell.
            return true;
        }
        byte[] probe = "key and certificate match".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(probe);
            byte[] signed = signature.sign();
            signature.initVerify(publicKey);
            signature.update(probe);
            return signature.verify(signed);
        }
        catch (InvalidKeyException ex) {
            // The certificate's key is of another algorithm.
            return false;
        }
        catch (GeneralSecurityException | RuntimeException ex) {
            throw Errors.parameter(FIELD + " (" + key.getAlgorithm() + ") cannot sign (" + ex.getMessage() + ")");
        }
    }

    /** Runs a step of DER parsing, turning malformed input into 401. */
    private static <T> T structure(Supplier<T> step, String what) {
        try {
            return step.get();
        }
        catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
            throw Errors.parameter(FIELD + ": the " + what + " is not well-formed DER (" + ex.getMessage() + ")");
        }
    }

}
