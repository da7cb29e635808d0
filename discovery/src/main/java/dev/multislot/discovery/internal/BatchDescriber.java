package dev.multislot.discovery.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.errors.DiscoveryServiceException;
import dev.multislot.api.spi.DiscoveredCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2AsyncClient;
import software.amazon.awssdk.services.cloudhsmv2.model.Cluster;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;

/**
 * Describes a batch of clusters that share a region and endpoint with one {@code DescribeClusters}
 * call filtered by all their ids, following {@code NextToken} to the last page.
 */
public final class BatchDescriber {

    /** Pages followed at most in one lookup: a service that never stops paging is an error, not a hang. */
    public static final int MAX_PAGES = 1_000;

    private final SdkClients clients;
    private final ErrorTranslator errors;
    private final Scheduler blockingScheduler;
    private final Duration lookupTimeout;

    /**
     * @param clients the SDK clients
     * @param errors the error translator
     * @param blockingScheduler where a client is built and a call started (both may block)
     * @param lookupTimeout the limit on all the pages of one lookup together
     */
    public BatchDescriber(SdkClients clients, ErrorTranslator errors, Scheduler blockingScheduler, Duration lookupTimeout) {
        this.lookupTimeout = Objects.requireNonNull(lookupTimeout, "lookupTimeout");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.blockingScheduler = Objects.requireNonNull(blockingScheduler, "blockingScheduler");
    }

    /**
     * One result per id, in the order given (an id given twice is answered twice), or the first
     * error: a cluster absent from the answer is a ClusterNotFoundException.
     *
     * @param ids the clusters, all for this target
     * @param target where to ask
     */
    public Flux<DiscoveredCluster> describe(List<ClusterId> ids, DiscoveryTarget target) {
        List<String> filter = new ArrayList<>(new LinkedHashSet<>(ids.stream().map(ClusterId::value).toList()));
        List<ClusterId> distinct = filter.stream().map(ClusterId::of).toList();
        // Building a client reads config files, and the SDK may resolve credentials on the calling
        // thread: start on the blocking scheduler, never on the subscriber's (perhaps event loop) thread.
        return Mono.fromCallable(() -> clients.get(target.clientKey()))
                .subscribeOn(blockingScheduler)
                .flatMapMany(client -> pages(client, filter, distinct, target))
                .concatMapIterable(page -> ClusterMapper.withReportedPorts(page))
                .collectMap(c -> c.cluster().clusterId(), c -> c, java.util.LinkedHashMap::new)
                // One deadline for the whole lookup: every page may come within the API call timeout
                // while the pages never end.
                .timeout(lookupTimeout, Mono.error(() -> errors.lookupTimedOut(lookupTimeout, distinct, target)))
                .onErrorMap(e -> !(e instanceof DiscoveryClosedException), e -> errors.translate(e, distinct, target))
                .flatMapMany(found -> Flux.fromIterable(ids).map(id -> found(found, id, target)));
    }

    private DiscoveredCluster found(Map<String, ClusterMapper.Answered> found, ClusterId id, DiscoveryTarget target) {
        ClusterMapper.Answered cluster = found.get(id.value());
        if (cluster == null) {
            throw errors.notFound(id, target);
        }
        return ClusterMapper.toDiscovered(cluster, target);
    }

    private Flux<DescribeClustersResponse> pages(CloudHsmV2AsyncClient client, List<String> filter,
                                                 List<ClusterId> ids, DiscoveryTarget target) {
        return Flux.defer(() -> {
            AtomicInteger pages = new AtomicInteger(1);
            return page(client, filter, null).expand(previous -> {
                String token = previous.nextToken();
                if (token == null || token.isEmpty()) {
                    return Mono.empty();
                }
                if (pages.incrementAndGet() > MAX_PAGES) {
                    return Mono.error(new DiscoveryServiceException("DescribeClusters in region " + target.region().describe()
                            + " at " + target.endpointDescription() + " still had more pages after " + MAX_PAGES
                            + "; the endpoint does not behave like the CloudHSM API", ids.size() == 1 ? ids.get(0) : null, null));
                }
                return page(client, filter, token);
            });
        });
    }

    /** One page; lazy: nothing is sent until subscription; cancelling cancels the SDK future. */
    private static Mono<DescribeClustersResponse> page(CloudHsmV2AsyncClient client, List<String> filter, String token) {
        return Mono.fromFuture(() -> client.describeClusters(b -> b.filters(Map.of("clusterIds", filter)).nextToken(token)));
    }
}
