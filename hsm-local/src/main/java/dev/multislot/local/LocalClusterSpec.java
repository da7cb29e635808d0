package dev.multislot.local;

import dev.multislot.local.internal.RandomIds;
import dev.multislot.local.internal.server.UserDirectory;
import dev.multislot.protocol.ProtocolConstants;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link LocalCluster#start(LocalClusterSpec)} builds. Immutable; build one with
 * {@link #builder()}. Every setter checks its value at once and names it in the error. Passwords
 * are kept only as SHA-256 digests and never appear in {@link #toString()}.
 *
 * <pre>{@code
 * LocalClusterSpec spec = LocalClusterSpec.builder()
 *         .hsmCount(2)
 *         .port(0)
 *         .directory(tempDir)
 *         .user("crypto_user", "password1")
 *         .build();
 * }</pre>
 */
public final class LocalClusterSpec {

    /** HSMs per cluster unless set: 3. */
    public static final int DEFAULT_HSM_COUNT = 3;
    /** The most HSMs one cluster may have: 32. */
    public static final int MAX_HSM_COUNT = 32;
    /** The port CloudHSM uses and the default here: 2223. */
    public static final int DEFAULT_PORT = 2223;
    /** Requests one connection may have in flight unless set: 1024. */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 1024;
    /** The largest frame accepted and announced unless set: {@link ProtocolConstants#DEFAULT_MAX_FRAME_SIZE}. */
    public static final int DEFAULT_MAX_FRAME_SIZE = ProtocolConstants.DEFAULT_MAX_FRAME_SIZE;
    /** Crypto worker threads per cluster unless set: the processor count, at least 2. */
    public static final int DEFAULT_WORKER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Crypto tasks that may wait for a worker, per cluster, unless set: 8192. */
    public static final int DEFAULT_WORKER_QUEUE_CAPACITY = 8192;
    /** The crypto user created when none is given. */
    public static final String DEFAULT_USERNAME = "crypto_user";
    /** That user's password. A well-known test password: never use hsm-local for real secrets. */
    public static final String DEFAULT_PASSWORD = "password1";

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private final String clusterId;
    private final int hsmCount;
    private final int port;
    private final Path directory;
    private final boolean requireClientCertificates;
    private final HsmCertificateSan hsmCertificateSan;
    private final int maxConcurrentOperations;
    private final int maxInFlightPerConnection;
    private final int maxFrameSize;
    private final int workerThreads;
    private final int workerQueueCapacity;
    private final Map<String, byte[]> passwordDigests;
    private final boolean ipv6;
    private final TokenBackend token;
    private final boolean persistent;
    /** The one user's password, kept only for a PKCS#11 backend, where it is the token's user PIN. */
    private final char[] pin;
    private final ConnectionLimits connectionLimits;

    private LocalClusterSpec(Builder b) {
        this.ipv6 = b.ipv6;
        this.clusterId = b.clusterId != null ? b.clusterId : RandomIds.clusterId();
        this.hsmCount = b.hsmCount;
        this.port = b.port;
        this.directory = b.directory;
        this.requireClientCertificates = b.requireClientCertificates;
        this.hsmCertificateSan = b.hsmCertificateSan;
        this.maxConcurrentOperations = b.maxConcurrentOperations;
        this.maxInFlightPerConnection = b.maxInFlightPerConnection;
        this.maxFrameSize = b.maxFrameSize;
        this.workerThreads = b.workerThreads;
        this.workerQueueCapacity = b.workerQueueCapacity;
        Map<String, byte[]> users = new LinkedHashMap<>(b.passwordDigests);
        if (users.isEmpty()) {
            users.put(DEFAULT_USERNAME, UserDirectory.digest(DEFAULT_PASSWORD));
        }
        this.passwordDigests = Collections.unmodifiableMap(users);
        this.token = b.token;
        this.persistent = b.persistent;
        if (persistent && directory == null) {
            throw new IllegalArgumentException("persistent(true) needs a directory(...) to keep the cluster's identity in");
        }
        if (token.kind() == TokenBackend.Kind.SOFTWARE) {
            this.pin = null;
        } else {
            if (b.passwordDigests.size() > 1) {
                throw new IllegalArgumentException("a " + token.name() + " token has one user PIN: give one crypto user, not "
                        + b.passwordDigests.size());
            }
            this.pin = b.lastPassword != null ? b.lastPassword.clone() : DEFAULT_PASSWORD.toCharArray();
            if (token.kind() == TokenBackend.Kind.SOFTHSM2 && clusterId.length() > 32) {
                throw new IllegalArgumentException("with SoftHSM2 the cluster id is the token label, at most 32 characters; '"
                        + clusterId + "' has " + clusterId.length());
            }
        }
        this.connectionLimits = b.connectionLimits;
    }

    /** What each HSM allows one client connection (timeouts, a cap, a memory budget). */
    public ConnectionLimits connectionLimits() {
        return connectionLimits;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The cluster id; generated as {@code cluster-} and 11 random lowercase letters and digits when not set. */
    public String clusterId() {
        return clusterId;
    }

    public int hsmCount() {
        return hsmCount;
    }

    /** The port every HSM listens on; 0 means an ephemeral port per HSM (always so for an IPv6 cluster). */
    public int port() {
        return ipv6 ? 0 : port;
    }

    /** Whether the HSMs listen on the IPv6 loopback {@code ::1}, one HSM per (ephemeral) port. */
    public boolean ipv6() {
        return ipv6;
    }

    /** Where the CA and server certificates go; empty means a new temporary directory. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    public boolean requireClientCertificates() {
        return requireClientCertificates;
    }

    /** What the HSMs' server certificates carry as subjectAltName. */
    public HsmCertificateSan hsmCertificateSan() {
        return hsmCertificateSan;
    }

    /** Each HSM's cap on crypto operations running at once; 0 means no cap. */
    public int maxConcurrentOperations() {
        return maxConcurrentOperations;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int workerQueueCapacity() {
        return workerQueueCapacity;
    }

    /** The crypto users' names, in the order they were added. */
    public java.util.Set<String> users() {
        return passwordDigests.keySet();
    }

    /** What keeps the cluster's keys; {@link TokenBackend#software()} unless set. */
    public TokenBackend token() {
        return token;
    }

    /** Whether the cluster keeps its CA and HSM identities in its directory and reuses them on the next start. */
    public boolean persistent() {
        return persistent;
    }

    /** The token's user PIN (the one user's password), for a PKCS#11 backend only; a copy. */
    char[] pin() {
        return pin == null ? null : pin.clone();
    }

    /** User names to SHA-256 password digests; for the server only. */
    Map<String, byte[]> passwordDigests() {
        return passwordDigests;
    }

    @Override
    public String toString() {
        return "LocalClusterSpec[clusterId=" + clusterId + ", hsmCount=" + hsmCount + ", port=" + port
                + ", directory=" + directory + ", requireClientCertificates=" + requireClientCertificates
                + ", hsmCertificateSan=" + hsmCertificateSan
                + ", maxConcurrentOperations=" + maxConcurrentOperations + ", users=" + users()
                + ", token=" + token + "]";
    }

    /** Builds a {@link LocalClusterSpec}. Not thread-safe. */
    public static final class Builder {
        private String clusterId;
        private int hsmCount = DEFAULT_HSM_COUNT;
        private int port = DEFAULT_PORT;
        private Path directory;
        private boolean requireClientCertificates;
        private HsmCertificateSan hsmCertificateSan = HsmCertificateSan.HSM_ADDRESS;
        private int maxConcurrentOperations;
        private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int workerQueueCapacity = DEFAULT_WORKER_QUEUE_CAPACITY;
        private final Map<String, byte[]> passwordDigests = new LinkedHashMap<>();
        private boolean ipv6;
        private TokenBackend token = TokenBackend.software();
        private boolean persistent;
        private char[] lastPassword;
        private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;

        private Builder() {
        }

        /**
         * Serve on the IPv6 loopback {@code ::1} instead of 127.x.y.z: every HSM on its own
         * ephemeral port (the port setting is then ignored), each certificate naming {@code ::1}.
         * Default off.
         */
        public Builder ipv6(boolean on) {
            this.ipv6 = on;
            return this;
        }

        /** The cluster id, such as {@code cluster-abc1234}: letters, digits and '-', at most 64. Default: random. */
        public Builder clusterId(String clusterId) {
            Objects.requireNonNull(clusterId, "clusterId");
            if (!CLUSTER_ID.matcher(clusterId).matches()) {
                throw new IllegalArgumentException("clusterId must be 1-64 letters, digits or '-' starting with a letter"
                        + " or digit, such as cluster-abc1234; was '" + clusterId + "'");
            }
            this.clusterId = clusterId;
            return this;
        }

        /** HSMs in the cluster, 1..{@value #MAX_HSM_COUNT}. Default {@value #DEFAULT_HSM_COUNT}. */
        public Builder hsmCount(int hsmCount) {
            if (hsmCount < 1 || hsmCount > MAX_HSM_COUNT) {
                throw new IllegalArgumentException("hsmCount must be 1.." + MAX_HSM_COUNT + ", was " + hsmCount);
            }
            this.hsmCount = hsmCount;
            return this;
        }

        /** The port, 0..65535; 0 = an ephemeral port per HSM. Default {@value #DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Where {@code customerCA.crt} and the HSMs' certificates and keys are written; created if
         * missing. Default: a new temporary directory, deleted by {@link LocalCluster#close()}.
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Mutual TLS: clients must present a certificate signed by the cluster CA. Default false. */
        public Builder requireClientCertificates(boolean require) {
            this.requireClientCertificates = require;
            return this;
        }

        /**
         * What each HSM's server certificate names as subjectAltName. Default
         * {@link HsmCertificateSan#HSM_ADDRESS}, the HSM's own IP address; the others let a test show
         * what a client's host name check does with a certificate that does not name the address
         * it dialled.
         */
        public Builder hsmCertificateSan(HsmCertificateSan san) {
            this.hsmCertificateSan = Objects.requireNonNull(san, "hsmCertificateSan");
            return this;
        }

        /**
         * Each HSM's cap on crypto operations running or queued at once; beyond it the HSM answers
         * HSM_BUSY. 0 = no cap (the default).
         */
        public Builder maxConcurrentOperations(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConcurrentOperations must be 0 (no cap) or more, was " + max);
            }
            this.maxConcurrentOperations = max;
            return this;
        }

        /** Requests one connection may have in flight, announced in HELLO; beyond it HSM_BUSY. Default 1024. */
        public Builder maxInFlightPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlightPerConnection must be 1 or more, was " + max);
            }
            this.maxInFlightPerConnection = max;
            return this;
        }

        /** The largest frame accepted and announced. Default {@link ProtocolConstants#DEFAULT_MAX_FRAME_SIZE}. */
        public Builder maxFrameSize(int max) {
            if (max < ProtocolConstants.MIN_MAX_FRAME_SIZE || max > ProtocolConstants.DEFAULT_MAX_FRAME_SIZE) {
                throw new IllegalArgumentException("maxFrameSize must be " + ProtocolConstants.MIN_MAX_FRAME_SIZE + ".."
                        + ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + ", was " + max);
            }
            this.maxFrameSize = max;
            return this;
        }

        /** Crypto worker threads of the cluster, 1..256. Default: processors, at least 2. */
        public Builder workerThreads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("workerThreads must be 1..256, was " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /** Crypto tasks that may wait for a worker; when full the HSMs answer HSM_BUSY. Default 8192. */
        public Builder workerQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("workerQueueCapacity must be 1 or more, was " + capacity);
            }
            this.workerQueueCapacity = capacity;
            return this;
        }

        /**
         * Adds a crypto user (call again for more). When none is added the cluster has
         * {@value #DEFAULT_USERNAME} with password {@value #DEFAULT_PASSWORD}.
         */
        public Builder user(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (!USERNAME.matcher(username).matches()) {
                throw new IllegalArgumentException("username must be 1-64 letters, digits or _.@-, was '" + username + "'");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the password of user " + username + " is empty");
            }
            passwordDigests.put(username, UserDirectory.digest(password));
            lastPassword = password.toCharArray();
            return this;
        }

        /**
         * What keeps the keys (default {@link TokenBackend#software()}). With a PKCS#11 backend the
         * cluster has exactly one crypto user, whose password is the token's user PIN.
         */
        public Builder token(TokenBackend token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Keep the cluster's identity in its {@link #directory(Path)} (default false): the CA key
         * ({@code customerCA.key}), and each HSM's id, address and certificate ({@code hsms.txt}).
         * Started again on the same directory, the cluster has the same CA, HSM ids and, where the
         * address is still free, the same addresses and certificates; with a PKCS#11 token its keys
         * are there too. Without a directory, {@link #build()} refuses it.
         */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** What each HSM allows one client connection; default {@link ConnectionLimits#DEFAULTS}. */
        public Builder connectionLimits(ConnectionLimits limits) {
            this.connectionLimits = Objects.requireNonNull(limits, "connectionLimits");
            return this;
        }

        public LocalClusterSpec build() {
            return new LocalClusterSpec(this);
        }
    }
}
