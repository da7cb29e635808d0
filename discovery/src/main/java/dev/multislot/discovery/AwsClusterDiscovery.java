package dev.multislot.discovery;

import dev.multislot.api.ClusterId;
import dev.multislot.api.errors.DiscoveryInvalidRequestException;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.discovery.internal.BatchDescriber;
import dev.multislot.discovery.internal.DiscoveryClosedException;
import dev.multislot.discovery.internal.DiscoveryTarget;
import dev.multislot.discovery.internal.Endpoints;
import dev.multislot.discovery.internal.ErrorTranslator;
import dev.multislot.discovery.internal.SdkClients;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * {@link ClusterDiscovery} on the AWS SDK v2 {@code CloudHsmV2AsyncClient}: {@code DescribeClusters}
 * filtered by cluster id, every page followed.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Region.</b> A request's own region wins; otherwise {@link RegionResolver}'s chain
 *       ({@code AWS_DEFAULT_REGION}, {@code AWS_REGION}, the active profile's region, {@code us-east-1}),
 *       evaluated once, on first need, and kept for the life of this object.</li>
 *   <li><b>Endpoint.</b> A request's endpoint (http or https URL) replaces the region's public one;
 *       anything else is refused at once with {@link IllegalArgumentException} naming the value.</li>
 *   <li><b>HSMs.</b> Every HSM is reported with its state; {@code ACTIVE} and {@code DEGRADED} ones
 *       with an address are usable ({@link DiscoveredCluster#usableHsms()}), the others are not.</li>
 *   <li><b>Errors.</b> Every failure is a {@link dev.multislot.api.errors.DiscoveryException}
 *       subclass whose message names the region, where it came from, the endpoint and what to do
 *       next; a cluster absent from the answer is a {@link dev.multislot.api.errors.ClusterNotFoundException}.
 *       Throttling and 5xx answers are retried by the SDK's retry strategy first.</li>
 *   <li><b>Fan-out.</b> {@link #discoverAll} asks with one {@code DescribeClusters} call per region,
 *       endpoint and {@linkplain Builder#maxClustersPerCall(int) batch of ids}, all batches at once:
 *       a hundred clusters cost a few calls and about one round trip.</li>
 *   <li><b>Threads.</b> Nothing blocks the subscribing thread: building an SDK client and starting
 *       a call (which may read config files and resolve credentials) happen on Reactor's
 *       bounded-elastic scheduler; results arrive on the SDK's completion threads. Calls are cold:
 *       nothing is sent before subscription, and cancelling cancels the SDK call's future.</li>
 *   <li><b>Clients.</b> One SDK client per region and endpoint, built on first use and reused; all
 *       share one Netty HTTP client. {@link #close()} returns at once and releases them on a daemon
 *       thread (Netty's graceful shutdown takes about two seconds); {@link #closeAsync()} says when
 *       that is done.</li>
 * </ul>
 *
 * <pre>{@code
 * try (AwsClusterDiscovery discovery = AwsClusterDiscovery.create()) {
 *     DiscoveredCluster c = discovery.discover(DiscoveryRequest.of(ClusterId.of("cluster-jxhlf7644ne")))
 *             .block(Duration.ofSeconds(30));
 *     List<HsmAddress> hsms = c.usableAddresses(2223);
 * }
 * }</pre>
 */
public final class AwsClusterDiscovery implements ClusterDiscovery {

    /** The default limit on one API call, retries included. */
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The default limit on one whole lookup: every page of one {@code DescribeClusters} query, retries included. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(30);
    /** The default number of cluster ids sent in one {@code DescribeClusters} filter. */
    public static final int DEFAULT_MAX_CLUSTERS_PER_CALL = 25;

    private final RegionResolver regionResolver;
    private final SdkClients clients;
    private final BatchDescriber describer;
    private final int maxClustersPerCall;
    private final Mono<ResolvedRegion> defaultRegion;
    private volatile boolean closed;

    private AwsClusterDiscovery(Builder b) {
        this.regionResolver = b.regionResolver != null ? b.regionResolver : RegionResolver.fromSystem();
        boolean ownCredentials = b.credentialsProvider == null;
        AwsCredentialsProvider credentials = ownCredentials ? DefaultCredentialsProvider.builder().build() : b.credentialsProvider;
        RetryStrategy retry = b.retryStrategy != null ? b.retryStrategy : AwsRetryStrategy.standardRetryStrategy();
        this.clients = new SdkClients(credentials, ownCredentials, retry, b.apiCallTimeout);
        Scheduler blocking = Schedulers.boundedElastic();
        this.describer = new BatchDescriber(clients, new ErrorTranslator(b.apiCallTimeout), blocking, b.lookupTimeout);
        this.maxClustersPerCall = b.maxClustersPerCall;
        // The chain may read ~/.aws/config: once, off the caller's thread; a failure is not kept,
        // so that a fixed file is read on the next call.
        this.defaultRegion = Mono.fromCallable(() -> regionResolver.resolve(Optional.empty()))
                .subscribeOn(blocking)
                .cacheInvalidateIf(r -> false);
    }

    /** A discovery with every default: the SDK's credentials chain, the system's region chain, standard retries. */
    public static AwsClusterDiscovery create() {
        return builder().build();
    }

    /** A builder; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Describes one cluster.
     *
     * @throws IllegalArgumentException at once if the request's endpoint is not an http or https URL
     */
    @Override
    public Mono<DiscoveredCluster> discover(DiscoveryRequest request) {
        Objects.requireNonNull(request, "request");
        return discoverAll(List.of(request)).single();
    }

    /**
     * Describes many clusters with one {@code DescribeClusters} call per region, endpoint and batch
     * of up to {@link Builder#maxClustersPerCall(int)} ids, all batches concurrently. One result per
     * request (a cluster asked twice is answered twice), batch by batch as each completes; the first
     * failure ends the flux.
     *
     * @throws IllegalArgumentException at once if a request's endpoint is not an http or https URL
     */
    @Override
    public Flux<DiscoveredCluster> discoverAll(List<DiscoveryRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        for (DiscoveryRequest r : requests) {
            Objects.requireNonNull(r, "requests contains null");
            Endpoints.check(r.endpoint());
        }
        if (requests.isEmpty()) {
            return Flux.empty();
        }
        List<DiscoveryRequest> copy = List.copyOf(requests);
        return Flux.defer(() -> {
            if (closed) {
                return Flux.error(new DiscoveryClosedException());
            }
            return Flux.fromIterable(copy)
                    .concatMap(r -> target(r).map(t -> Map.entry(r, t)))
                    .collectList()
                    .flatMapMany(placed -> {
                        List<Batch> batches = batches(placed);
                        return Flux.fromIterable(batches)
                                .flatMap(b -> describer.describe(b.ids(), b.target()), batches.size());
                    });
        });
    }

    private Mono<DiscoveryTarget> target(DiscoveryRequest r) {
        Mono<ResolvedRegion> region = r.region().filter(s -> !s.isBlank()).isPresent()
                ? Mono.fromCallable(() -> regionResolver.resolve(r.region()))
                : defaultRegion;
        return region
                .onErrorMap(e -> e instanceof IllegalArgumentException || e instanceof UncheckedIOException,
                        e -> new DiscoveryInvalidRequestException("cannot choose a region: " + e.getMessage()
                                + "; pass --region, or fix the value named", r.clusterId(), e))
                .map(resolved -> new DiscoveryTarget(resolved, r.endpoint()));
    }

    /** Groups by client (region and endpoint), keeping request order, then cuts into batches. */
    private List<Batch> batches(List<Map.Entry<DiscoveryRequest, DiscoveryTarget>> placed) {
        Map<DiscoveryTarget.ClientKey, List<Map.Entry<DiscoveryRequest, DiscoveryTarget>>> groups = new LinkedHashMap<>();
        for (Map.Entry<DiscoveryRequest, DiscoveryTarget> p : placed) {
            groups.computeIfAbsent(p.getValue().clientKey(), k -> new ArrayList<>()).add(p);
        }
        List<Batch> batches = new ArrayList<>();
        for (List<Map.Entry<DiscoveryRequest, DiscoveryTarget>> group : groups.values()) {
            // The same region name may come from two sources (explicit and environment); messages use the first.
            DiscoveryTarget target = group.get(0).getValue();
            List<ClusterId> ids = new ArrayList<>();
            for (Map.Entry<DiscoveryRequest, DiscoveryTarget> p : group) {
                if (!ids.contains(p.getKey().clusterId()) && distinctCount(ids) == maxClustersPerCall) {
                    batches.add(new Batch(ids, target));
                    ids = new ArrayList<>();
                }
                ids.add(p.getKey().clusterId());
            }
            batches.add(new Batch(ids, target));
        }
        return batches;
    }

    private static long distinctCount(List<ClusterId> ids) {
        return ids.stream().distinct().count();
    }

    /** How many SDK clients exist now (one per region and endpoint used). */
    public int clientCount() {
        return clients.size();
    }

    /**
     * Stops accepting lookups and releases the SDK clients on a daemon thread; returns at once.
     * Lookups in flight may fail. Idempotent.
     */
    @Override
    public void close() {
        closeAsync();
    }

    /** Like {@link #close()}, with a future that completes once every client is released (about two seconds). */
    public CompletableFuture<Void> closeAsync() {
        closed = true;
        return clients.closeAsync();
    }

    private record Batch(List<ClusterId> ids, DiscoveryTarget target) {
    }

    /**
     * Settings of an {@link AwsClusterDiscovery}. Not thread-safe; {@link #build()} copies them.
     */
    public static final class Builder {

        private AwsCredentialsProvider credentialsProvider;
        private RetryStrategy retryStrategy;
        private Duration apiCallTimeout = DEFAULT_API_CALL_TIMEOUT;
        private Duration lookupTimeout = DEFAULT_LOOKUP_TIMEOUT;
        private RegionResolver regionResolver;
        private int maxClustersPerCall = DEFAULT_MAX_CLUSTERS_PER_CALL;

        private Builder() {
        }

        /**
         * The AWS credentials. Default: the SDK's default chain (environment, system properties,
         * web identity, profile files, SSO, container and instance roles), closed with this discovery;
         * a provider given here is not closed.
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * How the SDK retries throttled and failed calls. Default: the SDK's standard strategy
         * ({@code AwsRetryStrategy.standardRetryStrategy()}: three attempts, exponential backoff).
         * {@code AwsRetryStrategy.doNotRetry()} turns retries off.
         */
        public Builder retryStrategy(RetryStrategy strategy) {
            this.retryStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * The limit on one API call, all retries included. Default {@link #DEFAULT_API_CALL_TIMEOUT}.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder apiCallTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("apiCallTimeout must be positive, got " + timeout);
            }
            this.apiCallTimeout = timeout;
            return this;
        }

        /**
         * The limit on one whole lookup: all the pages of one {@code DescribeClusters} query, each
         * page's retries included. Default {@link #DEFAULT_LOOKUP_TIMEOUT}. An endpoint that answers
         * every page within {@link #apiCallTimeout} but never stops paging fails at this deadline with
         * a {@link dev.multislot.api.errors.DiscoveryEndpointException} naming the endpoint.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder lookupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("lookupTimeout must be positive, got " + timeout);
            }
            this.lookupTimeout = timeout;
            return this;
        }

        /** Where the region comes from when a request names none. Default {@link RegionResolver#fromSystem()}. */
        public Builder regionResolver(RegionResolver resolver) {
            this.regionResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * How many cluster ids one {@code DescribeClusters} call filters on; more are split into
         * concurrent calls. Default {@link #DEFAULT_MAX_CLUSTERS_PER_CALL}.
         *
         * @throws IllegalArgumentException unless 1 to 100
         */
        public Builder maxClustersPerCall(int max) {
            if (max < 1 || max > 100) {
                throw new IllegalArgumentException("maxClustersPerCall must be 1 to 100, got " + max);
            }
            this.maxClustersPerCall = max;
            return this;
        }

        /** The discovery. Builds no SDK client yet: each is built on first use of its region and endpoint. */
        public AwsClusterDiscovery build() {
            return new AwsClusterDiscovery(this);
        }
    }
}
