package dev.multislot.connector.internal.transport;

import dev.multislot.api.spi.ClusterConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a cluster's TLS files and builds its client {@link SslContext}. Blocking file I/O: callers
 * run it on the connector's file scheduler, never on an event loop.
 *
 * <p>Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE
 * KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}, with or without the {@code EC PARAMETERS} block
 * OpenSSL writes before it). They are parsed with BouncyCastle and handed to Netty as a
 * {@link PrivateKey}; their text is never kept.
 */
public final class TlsMaterialLoader {

    private TlsMaterialLoader() {
    }

    /**
     * Loads the TLS material of a cluster.
     *
     * @throws TlsSetupException naming the file and the problem
     */
    public static TlsMaterial load(ClusterConfig config, boolean hostnameVerification) {
        X509Certificate[] trusted = readCertificates(config.hsmCaFile(), "hsm_ca_file");
        SslContextBuilder builder = SslContextBuilder.forClient()
                .trustManager(trusted)
                .endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
        if (config.clientCertFile().isPresent() && config.clientKeyFile().isPresent()) {
            X509Certificate[] chain = readCertificates(config.clientCertFile().get(), "client_cert_path");
            PrivateKey key = readPrivateKey(config.clientKeyFile().get());
            builder.keyManager(key, chain);
        }
        try {
            SslContext context = builder.build();
            return new TlsMaterial(context, config.hsmCaFile(), config.clientCertFile(), hostnameVerification);
        } catch (IOException | IllegalArgumentException e) {
            throw new TlsSetupException("cannot build the TLS context from CA file " + config.hsmCaFile()
                    + config.clientCertFile().map(c -> " and client certificate " + c).orElse("") + ": " + e.getMessage(), e);
        }
    }

    static X509Certificate[] readCertificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new TlsSetupException(what + " " + file + " holds no PEM certificate", null);
            }
            return certs.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(what + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read " + what + " " + file + ": " + e, e);
        } catch (CertificateException e) {
            throw new TlsSetupException(what + " " + file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey readPrivateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new TlsSetupException("client_key_path " + file
                            + " holds an encrypted private key; give an unencrypted PKCS#8, PKCS#1 or SEC1 key", null);
                }
                if (!(item instanceof ASN1ObjectIdentifier || item instanceof X9ECParameters
                        || item instanceof X509CertificateHolder)) {
                    throw new TlsSetupException("client_key_path " + file + " holds a " + item.getClass().getSimpleName()
                            + " where a private key was expected", null);
                }
            }
            throw new TlsSetupException("client_key_path " + file
                    + " holds no private key (expected BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)", null);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException("client_key_path " + file + " does not exist", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsSetupException setup) {
                throw setup;
            }
            // BouncyCastle reports bad base64 or DER as unchecked exceptions, and parser messages may
            // quote the file's content: keep only the exception type (a fuzzer finding, kept in the corpus).
            throw new TlsSetupException("cannot read the private key in client_key_path " + file + " ("
                    + e.getClass().getSimpleName() + ")", null);
        }
    }

    /** The TLS files of a cluster cannot be used; the message names the file and the problem. */
    public static final class TlsSetupException extends RuntimeException {
        public TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
