package dev.multislot.local;

import dev.multislot.local.internal.LoopbackAddresses;
import dev.multislot.local.internal.RandomIds;
import dev.multislot.local.internal.pki.CertificateAuthority;
import dev.multislot.local.internal.pki.InMemoryKeyManagers;
import dev.multislot.local.internal.pki.IssuedCertificate;
import dev.multislot.local.internal.pki.PemFiles;
import dev.multislot.local.internal.pki.StoredIdentity;
import dev.multislot.local.internal.server.ClusterRuntime;
import dev.multislot.local.internal.server.HsmServer;
import dev.multislot.local.internal.server.UserDirectory;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.ChannelBindException;

/**
 * A local stand-in for a CloudHSM cluster: N HSM servers on distinct loopback addresses that speak
 * the Multislot wire protocol over TLS (1.2 or 1.3), share one software key store and one set of
 * crypto users, and have their own CA whose certificate is {@link #caFile()}
 * ({@code customerCA.crt}). Keys generated through one HSM are usable through every other HSM of
 * the same cluster at once; clusters share nothing.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).port(0).build())) {
 *     LocalHsm hsm = cluster.hsm(0);
 *     connect(hsm.host(), hsm.port(), cluster.caFile());
 *     hsm.stop();   // a crash
 *     hsm.start();  // back on the same address
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start(LocalClusterSpec)}, {@link #close()} and
 * {@link #issueClientCertificate(Path, String)} block (they bind sockets and write files): call
 * them from tests or main methods, not from an event loop. The servers themselves never block
 * their event loops; crypto runs on a bounded worker pool per cluster.
 */
public final class LocalCluster implements AutoCloseable {

    /** The CA certificate's file name in the cluster's directory, as CloudHSM names it. */
    public static final String CA_FILE_NAME = "customerCA.crt";
    /** Attempts to find a free address per HSM before giving up. */
    private static final int BIND_ATTEMPTS = 64;
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    private final LocalClusterSpec spec;
    private final Path directory;
    private final boolean ownsDirectory;
    private final Path caFile;
    private final CertificateAuthority ca;
    private final ClusterRuntime runtime;
    private final List<LocalHsm> hsms;
    private final List<HsmServer> servers;
    private boolean closed;

    private LocalCluster(LocalClusterSpec spec, Path directory, boolean ownsDirectory, Path caFile,
            CertificateAuthority ca, ClusterRuntime runtime, List<HsmServer> servers, List<LocalHsm> hsms) {
        this.spec = spec;
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
        this.caFile = caFile;
        this.ca = ca;
        this.runtime = runtime;
        this.servers = servers;
        this.hsms = List.copyOf(hsms);
    }

    /** Starts a cluster with every default: 3 HSMs on port 2223, one user crypto_user/password1. */
    public static LocalCluster start() {
        return start(LocalClusterSpec.builder().build());
    }

    /**
     * Creates the CA and the certificates, then starts every HSM; returns once all listen.
     *
     * @throws UncheckedIOException if the directory or a file cannot be written
     * @throws IllegalStateException if no free loopback address was found for an HSM
     */
    /** Where the HSMs of an {@link LocalClusterSpec#ipv6() IPv6} cluster listen. */
    public static final String IPV6_LOOPBACK = "::1";

    public static LocalCluster start(LocalClusterSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String clusterId = spec.clusterId();
        boolean ownsDirectory = spec.directory().isEmpty();
        Path directory;
        try {
            directory = ownsDirectory
                    ? Files.createTempDirectory("multislot-" + clusterId + "-")
                    : Files.createDirectories(spec.directory().get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory for cluster " + clusterId + ": " + e.getMessage(), e);
        }
        CertificateAuthority ca = spec.persistent() ? StoredIdentity.loadOrCreateCa(directory, clusterId, CA_FILE_NAME)
                : CertificateAuthority.create(clusterId);
        List<StoredIdentity.Hsm> before = spec.persistent() ? StoredIdentity.hsms(directory) : List.of();
        Path caFile = directory.resolve(CA_FILE_NAME);
        PemFiles.writeCertificate(caFile, ca.certificate());

        ClusterRuntime runtime = new ClusterRuntime(clusterId, UserDirectory.of(spec.passwordDigests()),
                ClusterTokens.open(spec), spec.workerThreads(), spec.workerQueueCapacity(), spec.maxInFlightPerConnection(), spec.maxFrameSize());
        List<HsmServer> servers = new ArrayList<>();
        List<LocalHsm> hsms = new ArrayList<>();
        LoopbackAddresses addresses = LoopbackAddresses.randomStart();
        try {
            for (int i = 0; i < spec.hsmCount(); i++) {
                Optional<StoredIdentity.Hsm> earlier = i < before.size() ? Optional.of(before.get(i)) : Optional.empty();
                String hsmId = earlier.map(StoredIdentity.Hsm::hsmId).orElseGet(() -> RandomIds.hsmId());
                HsmServer server = earlier.flatMap(h -> bindAgain(spec, runtime, ca, h, directory))
                        .orElseGet(() -> bindSomewhere(spec, runtime, ca, hsmId, addresses, directory));
                servers.add(server);
                hsms.add(new LocalHsm(server, directory.resolve(hsmId + ".crt")));
            }
        } catch (RuntimeException e) {
            servers.forEach(s -> {
                s.stop();
                LoopbackAddresses.release(s.host());
            });
            runtime.close();
            throw e;
        }
        if (spec.persistent()) {
            StoredIdentity.saveHsms(directory, servers.stream().map(s -> new StoredIdentity.Hsm(s.hsmId(), s.host(), s.port())).toList());
        }
        LocalCluster cluster = new LocalCluster(spec, directory, ownsDirectory, caFile, ca, runtime, servers, hsms);
        log.debug("started {}", cluster);
        return cluster;
    }

    /** The HSM of an earlier run on its old address and certificate, if the address is free. */
    private static Optional<HsmServer> bindAgain(LocalClusterSpec spec, ClusterRuntime runtime, CertificateAuthority ca,
            StoredIdentity.Hsm earlier, Path directory) {
        if (!LoopbackAddresses.hold(earlier.host())) {
            return Optional.empty();
        }
        IssuedCertificate cert = StoredIdentity.issued(directory, earlier.hsmId())
                .orElseGet(() -> ca.issueServer(earlier.hsmId(), sanIp(spec.hsmCertificateSan(), earlier.host())));
        // An ephemeral port is kept too: clients configured for the earlier run still find the HSM.
        HsmServer server = new HsmServer(runtime, earlier.hsmId(), earlier.host(), spec.port() == 0 ? earlier.port() : spec.port(),
                serverSslContext(cert, ca, spec.requireClientCertificates()), spec.maxConcurrentOperations(),
                spec.connectionLimits());
        try {
            server.start();
        } catch (ChannelBindException e) {
            LoopbackAddresses.release(earlier.host());
            return Optional.empty();
        }
        PemFiles.writeCertificate(directory.resolve(earlier.hsmId() + ".crt"), cert.certificate());
        PemFiles.writePrivateKey(directory.resolve(earlier.hsmId() + ".key"), cert.keyPair(), PemFiles.KeyFormat.PKCS8);
        return Optional.of(server);
    }

    private static HsmServer bindSomewhere(LocalClusterSpec spec, ClusterRuntime runtime, CertificateAuthority ca,
            String hsmId, LoopbackAddresses addresses, Path directory) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            String host = spec.ipv6() ? IPV6_LOOPBACK : addresses.next();
            IssuedCertificate cert = ca.issueServer(hsmId, sanIp(spec.hsmCertificateSan(), host));
            HsmServer server = new HsmServer(runtime, hsmId, host, spec.port(),
                    serverSslContext(cert, ca, spec.requireClientCertificates()), spec.maxConcurrentOperations(),
                    spec.connectionLimits());
            try {
                server.start();
            } catch (ChannelBindException e) {
                // Taken, most likely by a cluster in another JVM: move on to the next address.
                LoopbackAddresses.release(host);
                last = e;
                continue;
            }
            PemFiles.writeCertificate(directory.resolve(hsmId + ".crt"), cert.certificate());
            PemFiles.writePrivateKey(directory.resolve(hsmId + ".key"), cert.keyPair(),
                    PemFiles.KeyFormat.PKCS8);
            return server;
        }
        throw new IllegalStateException("no free loopback address for HSM " + hsmId + " on port " + spec.port()
                + " after " + BIND_ATTEMPTS + " attempts", last);
    }

    private static SslContext serverSslContext(IssuedCertificate cert, CertificateAuthority ca, boolean mutual) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(
                            InMemoryKeyManagers.of(cert.keyPair().getPrivate(), cert.certificate()))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (mutual) {
                b.clientAuth(ClientAuth.REQUIRE).trustManager(ca.certificate());
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS context of an HSM: " + e.getMessage(), e);
        }
    }

    private static InetAddress sanIp(HsmCertificateSan san, String host) {
        switch (san) {
            case NONE:
                return null;
            case OTHER_ADDRESS:
                return ipOf(HsmCertificateSan.OTHER_ADDRESS_TEXT);
            default:
                return ipOf(host);
        }
    }

    private static InetAddress ipOf(String host) {
        try {
            return InetAddress.getByName(host); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }

    /** The cluster id, such as {@code cluster-abc1234}. */
    public String clusterId() {
        return spec.clusterId();
    }

    /** The spec it was started with. */
    public LocalClusterSpec spec() {
        return spec;
    }

    /** The PEM file of the cluster's CA certificate ({@value #CA_FILE_NAME} in {@link #directory()}). */
    public Path caFile() {
        return caFile;
    }

    /** Where the CA and HSM certificates are. */
    public Path directory() {
        return directory;
    }

    /** The HSMs, in order. */
    public List<LocalHsm> hsms() {
        return hsms;
    }

    /**
     * The HSM at {@code index}.
     *
     * @throws IndexOutOfBoundsException naming the index and the HSM count
     */
    public LocalHsm hsm(int index) {
        if (index < 0 || index >= hsms.size()) {
            throw new IndexOutOfBoundsException("HSM index " + index + " is not in 0.." + (hsms.size() - 1)
                    + " of cluster " + clusterId());
        }
        return hsms.get(index);
    }

    /** Keys in the cluster's store now (on a PKCS#11 token: the keys the protocol can address). */
    public int keyCount() {
        return runtime.token().keyCount();
    }

    /** What keeps the cluster's keys, as the spec asked. */
    public TokenBackend tokenBackend() {
        return spec.token();
    }

    /**
     * The token's label on its PKCS#11 module (the cluster id for SoftHSM2), or empty for the
     * software token.
     */
    public Optional<String> tokenLabel() {
        TokenBackend b = spec.token();
        return b.kind() == TokenBackend.Kind.SOFTWARE ? Optional.empty()
                : Optional.of(b.tokenLabel().orElse(clusterId()));
    }

    /** For a SoftHSM2 backend, the config file other tools need in {@code SOFTHSM2_CONF}. */
    public Optional<Path> softHsm2Config() {
        return spec.token().kind() == TokenBackend.Kind.SOFTHSM2
                ? Optional.of(ClusterTokens.softHsm2Config(spec.token())) : Optional.empty();
    }

    /**
     * Issues a client certificate signed by this cluster's CA and writes it to
     * {@code dir/ssl-client.crt}, its key to {@code dir/ssl-client.key} (replacing both).
     *
     * @param keyFormat {@code "pkcs8"} ({@code BEGIN PRIVATE KEY}, an EC P-256 key),
     *     {@code "pkcs1"} ({@code BEGIN RSA PRIVATE KEY}, RSA 2048) or {@code "sec1"}
     *     ({@code BEGIN EC PRIVATE KEY}, EC P-256)
     */
    public ClientCertificate issueClientCertificate(Path dir, String keyFormat) {
        Objects.requireNonNull(keyFormat, "keyFormat");
        String algorithm = switch (keyFormat.toLowerCase(Locale.ROOT)) {
            case "pkcs8", "sec1" -> "EC";
            case "pkcs1" -> "RSA";
            default -> throw new IllegalArgumentException("keyFormat must be pkcs8, pkcs1 or sec1, was '" + keyFormat + "'");
        };
        return issueClientCertificate(dir, keyFormat, algorithm);
    }

    /**
     * Like {@link #issueClientCertificate(Path, String)} with the key algorithm chosen:
     * {@code "EC"} (P-256) or {@code "RSA"} (2048). PKCS#1 holds RSA keys only, SEC1 EC keys only.
     */
    public ClientCertificate issueClientCertificate(Path dir, String keyFormat, String keyAlgorithm) {
        Objects.requireNonNull(dir, "dir");
        PemFiles.KeyFormat format;
        try {
            format = PemFiles.KeyFormat.valueOf(keyFormat.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("keyFormat must be pkcs8, pkcs1 or sec1, was '" + keyFormat + "'");
        }
        if (!keyAlgorithm.equals("EC") && !keyAlgorithm.equals("RSA")) {
            throw new IllegalArgumentException("keyAlgorithm must be EC or RSA, was '" + keyAlgorithm + "'");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        IssuedCertificate cert = ca.issueClient("client-" + RandomIds.lowercase(8), keyAlgorithm);
        Path certFile = dir.resolve("ssl-client.crt");
        Path keyFile = dir.resolve("ssl-client.key");
        PemFiles.writePrivateKey(keyFile, cert.keyPair(), format);
        PemFiles.writeCertificate(certFile, cert.certificate());
        return new ClientCertificate(certFile, keyFile);
    }

    /**
     * Stops every HSM, frees their addresses and the worker pool, and deletes the directory if it
     * was a temporary one made by {@link #start(LocalClusterSpec)}. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HsmServer s : servers) {
            s.stop();
            LoopbackAddresses.release(s.host());
        }
        runtime.close();
        if (ownsDirectory) {
            deleteTree(directory);
        }
        log.debug("closed cluster {}", clusterId());
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.debug("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalCluster[" + clusterId() + ", hsms=" + hsms + ", ca=" + caFile + "]";
    }
}
