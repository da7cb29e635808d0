package dev.multislot.local;

import dev.multislot.local.internal.server.HsmServer;
import java.nio.file.Path;

/**
 * One HSM of a {@link LocalCluster}: a TLS server on its own loopback address. Thread-safe.
 *
 * <p>{@link #stop()} and {@link #start()} simulate a crash and a recovery: the address and port,
 * the certificate, the keys (they belong to the cluster) and the fault switches stay the same.
 */
public final class LocalHsm {

    private final HsmServer server;
    private final Path certificateFile;
    private final FaultSwitches faults;
    private final HsmStats stats;

    LocalHsm(HsmServer server, Path certificateFile) {
        this.server = server;
        this.certificateFile = certificateFile;
        this.faults = new FaultSwitches(server);
        this.stats = new HsmStats(server);
    }

    /** The loopback address it listens on, such as {@code 127.3.7.9}. */
    public String host() {
        return server.host();
    }

    /** The port it listens on (the bound one when the spec asked for port 0). */
    public int port() {
        return server.port();
    }

    /** Its id, such as {@code hsm-0a1b2c3d4e5}; also the CN of its certificate. */
    public String hsmId() {
        return server.hsmId();
    }

    /** Its server certificate (PEM), issued by the cluster CA with {@link #host()} as IP subjectAltName. */
    public Path certificateFile() {
        return certificateFile;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Closes the listener and every connection at once, like a crash; requests in flight are never
     * answered. Idempotent. Waits until the sockets are closed unless called on a non-blocking
     * (event loop) thread, where it only starts closing them.
     */
    public void stop() {
        server.stop();
    }

    /**
     * Listens again on the same host and port. Idempotent. Blocks until bound: do not call it on
     * an event loop.
     *
     * @throws IllegalStateException if the address was taken in the meantime
     */
    public void start() {
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("HSM " + hsmId() + " cannot listen on " + host() + ":" + port() + " again: "
                    + e.getMessage(), e);
        }
    }

    /** Its fault switches. */
    public FaultSwitches faults() {
        return faults;
    }

    /** Its counters. */
    public HsmStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return "LocalHsm[" + hsmId() + " " + host() + ":" + port() + (isRunning() ? "" : ", stopped") + "]";
    }
}
