package dev.multislot.local.internal.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Writes certificates and private keys as PEM files in the formats OpenSSL and the SDK use. */
public final class PemFiles {

    /** How a private key is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY}: any key type. */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY}: RSA keys only. */
        PKCS1,
        /** {@code BEGIN EC PRIVATE KEY}: EC keys only (what {@code openssl ecparam -genkey} writes). */
        SEC1
    }

    private PemFiles() {
    }

    /** Writes one certificate, replacing the file. */
    public static void writeCertificate(Path file, X509Certificate certificate) {
        write(file, pem(certificate), false);
    }

    /**
     * Writes a key pair's private key, readable by its owner only (where the file system allows
     * it). SEC1 and PKCS#1 files carry the public key too, as OpenSSL writes them, so that readers
     * that want the whole pair (BouncyCastle's {@code PEMKeyPair}) get it.
     */
    public static void writePrivateKey(Path file, KeyPair pair, KeyFormat format) {
        PrivateKey key = pair.getPrivate();
        String algorithm = key.getAlgorithm();
        Object pemObject;
        switch (format) {
            case PKCS8 -> {
                try {
                    pemObject = new JcaPKCS8Generator(key, null);
                } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
                    throw new IllegalStateException("cannot encode a " + algorithm + " key as PKCS#8", e);
                }
            }
            case PKCS1 -> {
                requireAlgorithm(algorithm, "RSA", format);
                pemObject = key; // JcaPEMWriter writes RSA private keys as PKCS#1, modulus and exponent included
            }
            case SEC1 -> {
                requireAlgorithm(algorithm, "EC", format);
                pemObject = sec1(pair);
            }
            default -> throw new IllegalArgumentException("unknown key format " + format);
        }
        write(file, pem(pemObject), true);
    }

    /** RFC 5915 ECPrivateKey with the curve and the public key, the way OpenSSL writes it. */
    private static PemObject sec1(KeyPair pair) {
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        ASN1Encodable curve = spki.getAlgorithm().getParameters();
        int orderBits = priv.getParams().getOrder().bitLength();
        try {
            byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, priv.getS(), spki.getPublicKeyData(), curve)
                    .getEncoded();
            return new PemObject("EC PRIVATE KEY", der);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an EC key as SEC1", e);
        }
    }

    private static void requireAlgorithm(String actual, String expected, KeyFormat format) {
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException(format + " holds " + expected + " keys only, not " + actual);
        }
    }

    private static String pem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PEM", e);
        }
        return sw.toString();
    }

    private static void write(Path file, String content, boolean secret) {
        try {
            Files.deleteIfExists(file);
            if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
