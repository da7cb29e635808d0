package dev.multislot.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks the PEM files {@code add-cluster} is given before they go into the config, so that a
 * mistake shows now, naming the option, and not later as a TLS failure in a running service.
 */
final class PemValidator {

    /** Most PEM files are a few KiB; a limit keeps a wrong path (a disk image, say) from being read whole. */
    private static final long MAX_PEM_BYTES = 1 << 20;

    private PemValidator() {
    }

    /** The file under {@code option} is a readable PEM X.509 certificate usable as a CA. */
    static X509Certificate caCertificate(String option, Path file) {
        X509Certificate cert = certificate(option, file);
        // A v1 certificate has no extensions and returns -1; a v3 one that says "not a CA" cannot anchor the HSMs' chain.
        if (cert.getVersion() >= 3 && cert.getBasicConstraints() < 0 && cert.getKeyUsage() != null) {
            throw CliException.badInput(option + " " + file + ": the certificate is not a CA certificate"
                    + " (no basicConstraints CA:TRUE); expected the cluster's customerCA.crt");
        }
        return cert;
    }

    /** The file under {@code option} is a readable PEM X.509 certificate. */
    static X509Certificate certificate(String option, Path file) {
        Object pem = readFirstPemObject(option, file);
        if (!(pem instanceof X509CertificateHolder holder)) {
            throw CliException.badInput(option + " " + file + ": expected a PEM certificate (BEGIN CERTIFICATE), found "
                    + describe(pem));
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw CliException.badInput(option + " " + file + ": the certificate cannot be decoded: " + e.getMessage());
        }
    }

    /**
     * The file under {@code option} is an unencrypted private key in PKCS#8, PKCS#1 RSA or SEC1 EC
     * form. The key itself never appears in a message.
     */
    static PrivateKey privateKey(String option, Path file) {
        Object pem = readFirstPemObject(option, file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (pem instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw CliException.badInput(option + " " + file + ": the private key cannot be decoded (unsupported algorithm?)");
        }
        if (pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw CliException.badInput(option + " " + file + ": the private key is encrypted; the HSM client needs it"
                    + " unencrypted (for example: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        throw CliException.badInput(option + " " + file + ": expected a PEM private key (BEGIN PRIVATE KEY, BEGIN RSA"
                + " PRIVATE KEY or BEGIN EC PRIVATE KEY), found " + describe(pem));
    }

    /** The key belongs to the certificate: a signature made with it verifies under the certificate's key. */
    static void keyMatchesCertificate(Path keyFile, PrivateKey key, Path certFile, X509Certificate cert) {
        PublicKey pub = cert.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(pub.getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && pub.getAlgorithm().startsWith("EC"))) {
            throw CliException.badInput("--server-client-key-file " + keyFile + ": the " + key.getAlgorithm()
                    + " key does not match the " + pub.getAlgorithm() + " certificate in " + certFile);
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(challenge);
            if (!verifier.verify(sig)) {
                throw CliException.badInput("--server-client-key-file " + keyFile
                        + ": the key does not match the certificate in " + certFile);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw CliException.badInput("--server-client-key-file " + keyFile
                    + ": the key does not match the certificate in " + certFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Object readFirstPemObject(String option, Path file) {
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw CliException.badInput(option + " " + file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            // Files.exists answers false here too: a directory above the file cannot be searched by this user.
            throw CliException.badInput(option + " " + file + ": permission denied (on the file or a directory above it)");
        } catch (IOException e) {
            throw CliException.badInput(option + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw CliException.badInput(option + " " + file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw CliException.badInput(option + " " + file + ": not readable by this user");
        }
        try {
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw CliException.badInput(option + " " + file + ": larger than 1 MiB, not a PEM file");
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
                Object o = parser.readObject();
                if (o == null) {
                    throw CliException.badInput(option + " " + file + ": no PEM block found (expected -----BEGIN ...-----)");
                }
                return o;
            }
        } catch (CliException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw CliException.badInput(option + " " + file + ": not a valid PEM file");
        }
    }

    private static String describe(Object pem) {
        if (pem instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (pem instanceof PEMKeyPair || pem instanceof PrivateKeyInfo || pem instanceof PEMEncryptedKeyPair
                || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "a private key";
        }
        return "a " + pem.getClass().getSimpleName();
    }
}
