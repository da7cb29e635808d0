package dev.multislot.bench.internal;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.WireKeyType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLContext;

/**
 * The blocking baseline: thread-per-request, as users of blocking HSM SDKs do today. {@code N}
 * platform threads, each owning one {@link BlockingConnection} (its own TLS connection), each
 * performing one request at a time; thread {@code i} uses cluster {@code i mod clusters} and that
 * cluster's HSMs in turn, so the threads are spread over every HSM. {@code N} requests are in
 * flight at most: the same concurrency as the connector's {@code N}.
 */
public final class BlockingClient implements AutoCloseable {

    private final List<BlockingConnection> connections;
    private final int[] clusterOf;
    private final long[] keyHandles;
    private final ExecutorService threads;
    private final LatencyRecorder latency;
    private final Request[][] requests;

    private BlockingClient(List<BlockingConnection> connections, int[] clusterOf, long[] keyHandles,
            LatencyRecorder latency) {
        this.connections = connections;
        this.clusterOf = clusterOf;
        this.keyHandles = keyHandles;
        this.latency = latency;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(connections.size(), r -> {
            Thread t = new Thread(r, "blocking-client-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.requests = new Request[BenchOp.values().length][keyHandles.length];
    }

    /**
     * Opens {@code threads} connections (HELLO and LOGIN on each) and generates one EC P-256 key per
     * cluster. Blocks.
     */
    public static BlockingClient connect(ServerInfo info, int threads, LatencyRecorder latency) {
        int clusters = info.clusters().size();
        List<BlockingConnection> conns = new ArrayList<>();
        int[] clusterOf = new int[threads];
        long[] keys = new long[clusters];
        SSLContext[] tls = new SSLContext[clusters];
        SslContext[] offers = new SslContext[clusters];
        try {
            for (int c = 0; c < clusters; c++) {
                tls[c] = ClientTls.jdkContext(info.clusters().get(c).caFile());
                offers[c] = ClientTls.nettyContext(info.clusters().get(c).caFile());
            }
            for (int i = 0; i < threads; i++) {
                int c = i % clusters;
                ServerInfo.Cluster cluster = info.clusters().get(c);
                ServerInfo.Hsm hsm = cluster.hsms().get((i / clusters) % cluster.hsms().size());
                conns.add(BlockingConnection.open(tls[c], offers[c], cluster, hsm));
                clusterOf[i] = c;
            }
            System.out.println("blocking client: " + threads + " threads and connections, " + conns.get(0).tls());
            for (int c = 0; c < clusters; c++) {
                ServerInfo.Cluster cluster = info.clusters().get(c);
                BlockingConnection own = null;
                if (c < threads) {
                    own = conns.get(c);
                } else {
                    // More clusters than threads: a short-lived connection just to make the key.
                    own = BlockingConnection.open(tls[c], offers[c], cluster, cluster.hsms().get(0));
                }
                try {
                    keys[c] = own.expect(own.call(new Request.GenerateKey(WireKeyType.EC_P256, "bench-blocking")),
                            Response.KeyInfo.class).handle();
                } finally {
                    if (c >= threads) {
                        own.close();
                    }
                }
            }
        } catch (IOException e) {
            conns.forEach(BlockingConnection::close);
            throw new IllegalStateException("blocking client setup failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            conns.forEach(BlockingConnection::close);
            throw e;
        }
        return new BlockingClient(conns, clusterOf, keys, latency);
    }

    /**
     * Performs {@code operations} requests spread evenly over the threads and returns when all
     * are answered.
     */
    public void run(BenchOp op, byte[] message, int operations) {
        int n = connections.size();
        List<Callable<Void>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BlockingConnection conn = connections.get(i);
            Request request = requestFor(op, clusterOf[i], message);
            int quota = operations / n + (i < operations % n ? 1 : 0);
            tasks.add(() -> {
                for (int k = 0; k < quota; k++) {
                    long t0 = System.nanoTime();
                    conn.callOk(request);
                    latency.record(System.nanoTime() - t0);
                }
                return null;
            });
        }
        try {
            for (Future<Void> f : threads.invokeAll(tasks)) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("blocking batch failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Request requestFor(BenchOp op, int cluster, byte[] message) {
        Request r = requests[op.ordinal()][cluster];
        if (r == null) {
            r = op.request(keyHandles[cluster], message);
            requests[op.ordinal()][cluster] = r;
        }
        return r;
    }

    @Override
    public void close() {
        threads.shutdownNow();
        connections.forEach(BlockingConnection::close);
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
