package dev.multislot.discovery.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import io.netty.channel.EventLoopGroup;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2AsyncClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One {@link CloudHsmV2AsyncClient} per region and endpoint, built on first use and reused, all
 * sharing one Netty HTTP client (one event loop group).
 *
 * <p>{@link #get} builds a client, which reads the AWS config files for SDK settings: call it where
 * blocking is allowed. {@link #closeAsync()} closes everything on a daemon thread, because Netty's
 * graceful shutdown takes about two seconds and callers should not wait for it.
 */
public final class SdkClients {

    private static final Logger LOG = LoggerFactory.getLogger(SdkClients.class);

    private final Map<DiscoveryTarget.ClientKey, CloudHsmV2AsyncClient> clients = new ConcurrentHashMap<>();
    private final AwsCredentialsProvider credentials;
    private final AutoCloseable ownedCredentials;
    private final RetryStrategy retryStrategy;
    private final Duration apiCallTimeout;
    private final Object lock = new Object();
    private SdkAsyncHttpClient httpClient;
    private EventLoopGroup eventLoops;
    private CompletableFuture<Void> closed;

    /**
     * @param credentials the credentials provider the clients use
     * @param ownCredentials whether closing these clients closes the provider too
     * @param retryStrategy the SDK retry strategy
     * @param apiCallTimeout the whole-call timeout, retries included
     */
    public SdkClients(AwsCredentialsProvider credentials, boolean ownCredentials, RetryStrategy retryStrategy,
                      Duration apiCallTimeout) {
        Objects.requireNonNull(credentials, "credentials");
        this.credentials = new GuardedCredentialsProvider(credentials);
        this.ownedCredentials = ownCredentials && credentials instanceof SdkAutoCloseable c ? c : null;
        this.retryStrategy = Objects.requireNonNull(retryStrategy, "retryStrategy");
        this.apiCallTimeout = Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    }

    /**
     * The client for this region and endpoint, built if needed. May block (building a client reads
     * files); never call it on an event loop.
     *
     * @throws DiscoveryClosedException once closed
     */
    public CloudHsmV2AsyncClient get(DiscoveryTarget.ClientKey key) {
        CloudHsmV2AsyncClient existing = clients.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (lock) {
            if (closed != null) {
                throw new DiscoveryClosedException();
            }
            return clients.computeIfAbsent(key, this::build);
        }
    }

    private CloudHsmV2AsyncClient build(DiscoveryTarget.ClientKey key) {
        if (httpClient == null) {
            // Our own event loop group, so that the SDK's channels are ours: without Netty's LoggingHandler.
            // NioEventLoopGroup, deprecated in Netty 4.2: the SDK's channel resolver knows no other NIO group type.
            eventLoops = newNioGroup();
            httpClient = NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(SdkEventLoopGroup.create(eventLoops, WireQuietChannel::new))
                    .build();
        }
        var builder = CloudHsmV2AsyncClient.builder()
                .region(Region.of(key.region()))
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy)
                        .apiCallTimeout(apiCallTimeout)
                        .build());
        key.endpoint().ifPresent(builder::endpointOverride);
        LOG.debug("CloudHSM v2 client for region {} at {}", key.region(), key.endpoint().map(Object::toString).orElse("the public endpoint"));
        return builder.build();
    }

    /**
     * One plain daemon thread. Plain, as the SDK's own group has: the SDK does blocking work on it (its
     * first socket reads JDK network properties), so it is not marked as a non-blocking event loop thread.
     *
     * <p>One, not the SDK's default of two per processor: with several loops, the SDK's
     * {@code HttpOrHttp2ChannelPool} (2.40.2) can lose a refused connect. After a connection to an
     * endpoint is refused once, about one later call in eight to the same endpoint then waited for the
     * whole API call timeout instead of failing with "connection refused" (measured: 10 of 240 with four
     * loops, 0 of 240 with one), because the pool's protocol promise is failed and replaced on one loop
     * while a new acquire is registered on it from another. On one loop those steps cannot interleave.
     * Discovery is a few control-plane calls per cluster, well within one thread.
     */
    @SuppressWarnings("deprecation")
    private static EventLoopGroup newNioGroup() {
        return new io.netty.channel.nio.NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "multislot-discovery-http");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many clients exist now. */
    public int size() {
        return clients.size();
    }

    /**
     * Closes every client, the shared HTTP client and the owned credentials provider, on a daemon
     * thread. Idempotent: every call returns the same future, complete once all is released.
     */
    public CompletableFuture<Void> closeAsync() {
        List<AutoCloseable> toClose = new ArrayList<>();
        CompletableFuture<Void> done;
        synchronized (lock) {
            if (closed != null) {
                return closed;
            }
            closed = done = new CompletableFuture<>();
            toClose.addAll(clients.values());
            clients.clear();
            if (httpClient != null) {
                toClose.add(httpClient);
            }
            if (eventLoops != null) {
                EventLoopGroup group = eventLoops;
                // After the HTTP client: the SDK does not shut down a group it was given.
                toClose.add(() -> group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly());
            }
            if (ownedCredentials != null) {
                toClose.add(ownedCredentials);
            }
        }
        Thread closer = new Thread(() -> {
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing {} failed", c, e);
                }
            }
            done.complete(null);
        }, "multislot-discovery-close");
        closer.setDaemon(true);
        closer.start();
        return done;
    }
}
