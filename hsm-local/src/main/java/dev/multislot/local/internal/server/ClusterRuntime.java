package dev.multislot.local.internal.server;

import dev.multislot.local.internal.token.Token;
import dev.multislot.protocol.HsmFrameEncoder;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What the HSMs of one cluster share: the token (keys, in memory or behind a PKCS#11 module), the
 * users, the worker pool and the limits. Every token call runs on the worker pool, so a blocking
 * PKCS#11 module never holds up an event loop.
 * The worker pool is bounded in threads and in queued tasks; a task it cannot queue is refused at
 * once, and the HSM answers HSM_BUSY.
 */
public final class ClusterRuntime implements AutoCloseable {

    private final String clusterId;
    private final Token token;
    private final UserDirectory users;
    private final Scheduler workers;
    private final int maxInFlightPerConnection;
    private final int maxFrameSize;
    private final HsmFrameEncoder encoder;
    private final KeyReplication replication = new KeyReplication();
    private volatile boolean closed;

    /**
     * @param workerThreads threads that run crypto
     * @param workerQueueCapacity tasks that may wait for a thread, in all
     */
    public ClusterRuntime(String clusterId, UserDirectory users, Token token, int workerThreads, int workerQueueCapacity,
            int maxInFlightPerConnection, int maxFrameSize) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.users = Objects.requireNonNull(users, "users");
        this.token = Objects.requireNonNull(token, "token");
        this.maxInFlightPerConnection = maxInFlightPerConnection;
        this.maxFrameSize = maxFrameSize;
        this.encoder = new HsmFrameEncoder(maxFrameSize);
        // Reactor's bounded elastic scheduler: fixed thread cap, per-thread queue cap, and it may be
        // called from event loops (BlockHound knows its queue's short locks are not blocking I/O).
        int perThread = Math.max(1, workerQueueCapacity / workerThreads);
        this.workers = Schedulers.newBoundedElastic(workerThreads, perThread, "hsm-worker-" + clusterId, 60, true);
    }

    public String clusterId() {
        return clusterId;
    }

    public Token token() {
        return token;
    }

    /** Which of the cluster's HSMs hold which keys. */
    public KeyReplication replication() {
        return replication;
    }

    public UserDirectory users() {
        return users;
    }

    Scheduler workers() {
        return workers;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    HsmFrameEncoder encoder() {
        return encoder;
    }

    /** Whether {@link #close()} was called: its HSMs must not start again. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        workers.dispose();
        token.close();
    }
}
