package dev.multislot.bench.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings every client of the benchmarks uses, so that the floor and the blocking
 * baseline pay what the connector pays: the JDK's TLS provider (no OpenSSL), TLS 1.3 only, the
 * cluster's CA as the only trust anchor, the HSM's address checked against its certificate, the
 * provider's default cipher suites (TLS_AES_128_GCM_SHA256 is what gets negotiated).
 */
public final class ClientTls {

    /** The only protocol offered. */
    public static final String PROTOCOL = "TLSv1.3";

    private ClientTls() {
    }

    /** A Netty client context trusting {@code caFile}, for the floor client. */
    public static SslContext nettyContext(Path caFile) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .trustManager(caFile.toFile())
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** A JDK context trusting {@code caFile}, for the blocking client. */
    public static SSLContext jdkContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA file " + caFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Applies the shared settings to a blocking socket before its handshake. */
    public static void configure(SSLSocket socket) {
        socket.setEnabledProtocols(new String[] {PROTOCOL});
        SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
    }
}
