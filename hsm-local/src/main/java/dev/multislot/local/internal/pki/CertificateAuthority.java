package dev.multislot.local.internal.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's own certificate authority, like the {@code customerCA.crt} a CloudHSM cluster is
 * initialized with. It signs the HSMs' server certificates and, for mutual TLS, client
 * certificates. The CA's private key lives only in memory.
 */
public final class CertificateAuthority {

    /** Long enough for a demo left running; short enough to look like a real certificate. */
    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final SecureRandom random;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate, SecureRandom random) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.random = random;
    }

    /** Creates a new CA whose subject names the cluster. */
    public static CertificateAuthority create(String clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        SecureRandom random = new SecureRandom();
        KeyPair keyPair = newKeyPair("EC", random);
        X500Name subject = name("Multislot local CA " + clusterId);
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keyPair, random);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate cert = sign(builder, keyPair);
            return new CertificateAuthority(keyPair, cert, random);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate for " + clusterId, e);
        }
    }

    /** A CA from a key and certificate made earlier by {@link #create(String)}. */
    public static CertificateAuthority of(KeyPair keyPair, X509Certificate certificate) {
        return new CertificateAuthority(Objects.requireNonNull(keyPair, "keyPair"),
                Objects.requireNonNull(certificate, "certificate"), new SecureRandom());
    }

    /** Writes the CA's private key (PKCS#8, owner-only), so that a later run can issue with it. */
    public void writeKey(Path file) {
        PemFiles.writePrivateKey(file, keyPair, PemFiles.KeyFormat.PKCS8);
    }

    /** The CA certificate (self-signed). */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a server certificate with an EC P-256 key and CN = {@code commonName}. Its
     * subjectAltName names {@code sanIp} and {@code commonName} as a DNS name, so that clients
     * checking the peer's address accept it when {@code sanIp} is the address they dialled.
     *
     * @param sanIp the IP address to name, or null for a certificate without subjectAltName
     */
    public IssuedCertificate issueServer(String commonName, InetAddress sanIp) {
        KeyPair kp = newKeyPair("EC", random);
        GeneralNames san = sanIp == null ? null : new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, sanIp.getHostAddress()),
                new GeneralName(GeneralName.dNSName, commonName) });
        return issue(commonName, kp, KeyPurposeId.id_kp_serverAuth, san);
    }

    /**
     * Issues a client certificate for mutual TLS.
     *
     * @param keyAlgorithm "EC" (P-256) or "RSA" (2048 bits)
     */
    public IssuedCertificate issueClient(String commonName, String keyAlgorithm) {
        return issue(commonName, newKeyPair(keyAlgorithm, random), KeyPurposeId.id_kp_clientAuth, null);
    }

    private IssuedCertificate issue(String commonName, KeyPair kp, KeyPurposeId purpose, GeneralNames san) {
        try {
            X509v3CertificateBuilder builder = builder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), name(commonName), kp, random);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int usage = KeyUsage.digitalSignature | (kp.getPublic().getAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : 0);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (san != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, san);
            }
            return new IssuedCertificate(sign(builder, keyPair), kp);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys,
            SecureRandom random) {
        Instant now = Instant.now();
        // Backdated a little so that a peer whose clock is slightly behind still accepts it.
        Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
        Date notAfter = Date.from(now.plus(VALIDITY));
        BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
        return new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Multislot local")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static KeyPair newKeyPair(String algorithm, SecureRandom random) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else if (algorithm.equals("RSA")) {
                kpg.initialize(2048, random);
            } else {
                throw new IllegalArgumentException("key algorithm must be EC or RSA, was " + algorithm);
            }
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
