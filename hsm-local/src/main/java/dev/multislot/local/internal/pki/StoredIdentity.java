package dev.multislot.local.internal.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A cluster's identity kept in its directory, so that a cluster started again on the same
 * directory is the same cluster to its clients: the CA ({@code customerCA.crt} and
 * {@code customerCA.key}), and each HSM's id, address and certificate ({@code hsms.txt}, lines of
 * {@code <hsm id> <address> <port>}, and {@code <hsm id>.crt}/{@code .key}).
 */
public final class StoredIdentity {

    public static final String CA_KEY_FILE = "customerCA.key";
    public static final String HSMS_FILE = "hsms.txt";

    private StoredIdentity() {
    }

    /** An HSM of an earlier run. */
    public record Hsm(String hsmId, String host, int port) {
    }

    /** The CA kept in {@code dir}, or a new one, written there. */
    public static CertificateAuthority loadOrCreateCa(Path dir, String clusterId, String caFileName) {
        Path cert = dir.resolve(caFileName);
        Path key = dir.resolve(CA_KEY_FILE);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            X509Certificate c = readCertificate(cert);
            return CertificateAuthority.of(keyPair(key, c), c);
        }
        CertificateAuthority ca = CertificateAuthority.create(clusterId);
        ca.writeKey(key);
        return ca;
    }

    /** The HSMs of the earlier run, in order; empty if there was none. */
    public static List<Hsm> hsms(Path dir) {
        Path file = dir.resolve(HSMS_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Hsm> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[2].matches("\\d{1,5}")) {
                    out.add(new Hsm(f[0], f[1], Integer.parseInt(f[2])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    public static void saveHsms(Path dir, List<Hsm> hsms) {
        StringBuilder sb = new StringBuilder();
        hsms.forEach(h -> sb.append(h.hsmId()).append(' ').append(h.host()).append(' ').append(h.port()).append('\n'));
        try {
            Files.writeString(dir.resolve(HSMS_FILE), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(HSMS_FILE), e);
        }
    }

    /** The certificate and key an HSM had, if both files are there. */
    public static Optional<IssuedCertificate> issued(Path dir, String hsmId) {
        Path cert = dir.resolve(hsmId + ".crt");
        Path key = dir.resolve(hsmId + ".key");
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            return Optional.empty();
        }
        X509Certificate c = readCertificate(cert);
        return Optional.of(new IssuedCertificate(c, keyPair(key, c)));
    }

    private static X509Certificate readCertificate(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) p.readObject());
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new IllegalStateException("cannot read the certificate " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key in {@code keyFile} with the public key of its certificate. */
    private static KeyPair keyPair(Path keyFile, X509Certificate cert) {
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) o;
            return new KeyPair(cert.getPublicKey(), new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("cannot read the key " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
