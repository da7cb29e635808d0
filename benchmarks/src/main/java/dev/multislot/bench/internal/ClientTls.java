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
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of the floor and blocking clients, built exactly as the connector builds its
 * own ({@code SslContextBuilder.forClient().trustManager(ca).endpointIdentificationAlgorithm("HTTPS")},
 * which resolves to the JDK provider: no OpenSSL is on the class path), so that they pay what the
 * connector pays. The blocking client's {@code SSLSocket} offers the protocols and cipher suites,
 * in the same order, that an engine of that Netty context offers. Every client checks after its
 * handshake that TLS 1.3 was negotiated ({@link #requireTls13}).
 */
public final class ClientTls {

    /** The protocol every benchmark connection must negotiate. */
    public static final String PROTOCOL = "TLSv1.3";

    private ClientTls() {
    }

    /** A Netty client context trusting {@code caFile}, for the floor client. */
    public static SslContext nettyContext(Path caFile) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
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

    /**
     * Applies the Netty context's offer to a blocking socket before its handshake: the same
     * enabled protocols and cipher suites in the same order, and host name checking.
     */
    public static void configure(SSLSocket socket, SslContext like) {
        SSLEngine engine = like.newEngine(ByteBufAllocator.DEFAULT);
        try {
            socket.setEnabledProtocols(engine.getEnabledProtocols());
            socket.setEnabledCipherSuites(engine.getEnabledCipherSuites());
        } finally {
            ReferenceCountUtil.release(engine);
        }
        SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setUseCipherSuitesOrder(true);
        socket.setSSLParameters(p);
    }

    /**
     * Fails unless {@code session} negotiated {@link #PROTOCOL}; returns "protocol/cipher suite"
     * for the benchmark's log.
     */
    public static String requireTls13(SSLSession session, String peer) {
        if (!PROTOCOL.equals(session.getProtocol())) {
            throw new IllegalStateException(peer + " negotiated " + session.getProtocol() + ", not " + PROTOCOL);
        }
        return session.getProtocol() + "/" + session.getCipherSuite();
    }
}
