package dev.multislot.local.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A fake AWS CloudHSM v2 control plane on 127.0.0.1 that answers {@code DescribeClusters} in
 * AWS JSON 1.1, for the real AWS SDK client pointed at {@link #endpoint()}.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>Clusters live in one region each: a request is answered from the clusters of the region
 *       in its SigV4 credential scope ({@code Credential=AKID/date/<region>/cloudhsm/aws4_request}).
 *       The signature itself is not checked. An unsigned request gets 403
 *       {@code MissingAuthenticationTokenException}.</li>
 *   <li>{@code DescribeClusters} supports the {@code clusterIds} and {@code states} filters,
 *       {@code MaxResults} (1 to 100) and pagination: at most {@link #pageSize(int) pageSize}
 *       clusters per page (default {@value #DEFAULT_PAGE_SIZE}), in cluster id order, with an
 *       opaque {@code NextToken} bound to the query. Any other target gets 400
 *       {@code UnknownOperationException}; a bad filter, cluster id, token or {@code MaxResults}
 *       gets 400 {@code CloudHsmInvalidRequestException}.</li>
 *   <li>Errors are AWS JSON 1.1 errors: the status, a {@code {"__type":..., "message":...}} body and
 *       an {@code x-amzn-ErrorType} header. {@link #failNext(int, String, int)} injects them.</li>
 *   <li>{@link #latency(Duration)} delays every answer without holding the event loop.</li>
 *   <li>{@link #requests()} records every request received on {@code POST /} (the last
 *       {@value #MAX_RECORDED_REQUESTS}), and {@link #peakConcurrentRequests()} the most requests
 *       that were in progress at once.</li>
 * </ul>
 * All methods are thread-safe; changes apply to requests that arrive afterwards.
 *
 * <pre>{@code
 * try (LocalControlPlane cp = LocalControlPlane.start()) {
 *     cp.putCluster(ControlPlaneCluster.active("cluster-abc1234", "us-east-1",
 *             ControlPlaneHsm.active("hsm-aaa", "127.0.0.2", "us-east-1a")));
 *     cp.latency(Duration.ofMillis(50));
 *     cp.failNext(1, "ThrottlingException", 400);
 *     // point the SDK at cp.endpoint() with region us-east-1
 * }
 * }</pre>
 */
public final class LocalControlPlane implements AutoCloseable {

    /** The response header that reports HSM ports (the discovery module reads it under the same name). */
    static final String PORTS_HEADER = "x-multislot-hsm-ports";

    /** Clusters per page unless {@link #pageSize(int)} says otherwise. */
    public static final int DEFAULT_PAGE_SIZE = 25;
    /** How many requests {@link #requests()} keeps; older ones are dropped. */
    public static final int MAX_RECORDED_REQUESTS = 10_000;
    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Pattern CREDENTIAL_SCOPE =
            Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final ObjectMapper MAPPER = warmedUp(new ObjectMapper());

    private final Map<String, ControlPlaneCluster> clusters = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<RecordedRequest> recorded = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recordedCount = new AtomicInteger();
    private final AtomicReference<Injection> injection = new AtomicReference<>(Injection.NONE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile Duration latency = Duration.ZERO;
    private volatile int pageSize = DEFAULT_PAGE_SIZE;
    private volatile DisposableServer server;

    private LocalControlPlane() {
    }

    /** Starts a control plane on 127.0.0.1 on an ephemeral port. */
    public static LocalControlPlane start() {
        return start(0);
    }

    /**
     * Starts a control plane on 127.0.0.1.
     *
     * @param port the TCP port; 0 picks a free one
     * @throws IllegalArgumentException if the port is out of range
     * @throws RuntimeException if the port cannot be bound
     */
    public static LocalControlPlane start(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        LocalControlPlane cp = new LocalControlPlane();
        cp.server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle(cp::handle)
                .bindNow(Duration.ofSeconds(10));
        return cp;
    }

    /** Where the SDK should send requests: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    // ---- clusters -------------------------------------------------------------------------

    /** Hosts the cluster in its region, replacing any cluster with the same id. */
    public void putCluster(ControlPlaneCluster cluster) {
        Objects.requireNonNull(cluster, "cluster");
        clusters.put(cluster.clusterId(), cluster);
    }

    /**
     * Hosts a running {@link LocalCluster} in a region: each of its HSMs becomes an
     * {@link ControlPlaneHsm#ACTIVE} HSM whose {@code EniIp} is the HSM's loopback host, spread over
     * the availability zones {@code <region>a}, {@code <region>b}, {@code <region>c}. The HSMs' port
     * is not part of the API: it is reported in the {@code x-multislot-hsm-ports} response header,
     * which Multislot's discovery reads (so {@code add-cluster} writes the ports of HSMs started on
     * port 0). An {@link LocalClusterSpec#ipv6() IPv6} cluster is hosted as {@code DUALSTACK}: each
     * HSM's {@code EniIpV6} is {@code ::1} and its {@code EniIp} {@code 127.0.0.1}, where it does not
     * listen. Replaces any cluster with the same id.
     *
     * @return the cluster as hosted
     */
    public ControlPlaneCluster host(LocalCluster cluster, String region) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(region, "region");
        ControlPlaneCluster hosted = ControlPlaneCluster.of(cluster, region);
        putCluster(hosted);
        return hosted;
    }

    /** Stops hosting the cluster; {@code false} if it was not hosted. */
    public boolean removeCluster(String clusterId) {
        return clusters.remove(clusterId) != null;
    }

    /** The hosted cluster with this id, as it is now. */
    public Optional<ControlPlaneCluster> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    /** Every hosted cluster, in id order. */
    public List<ControlPlaneCluster> clusters() {
        return new TreeMap<>(clusters).values().stream().toList();
    }

    /**
     * Adds an HSM at the end of the cluster's list.
     *
     * @return the cluster as it is now
     * @throws IllegalArgumentException if the cluster is not hosted or already has an HSM with this id
     */
    public ControlPlaneCluster addHsm(String clusterId, ControlPlaneHsm hsm) {
        Objects.requireNonNull(hsm, "hsm");
        return update(clusterId, c -> c.plus(hsm));
    }

    /**
     * Removes an HSM from the cluster.
     *
     * @return whether the cluster had it
     * @throws IllegalArgumentException if the cluster is not hosted
     */
    public boolean removeHsm(String clusterId, String hsmId) {
        Objects.requireNonNull(hsmId, "hsmId");
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        update(clusterId, c -> {
            List<ControlPlaneHsm> kept = new ArrayList<>(c.hsms());
            removed.set(kept.removeIf(h -> h.hsmId().equals(hsmId)));
            return c.withHsms(kept);
        });
        return removed.get();
    }

    /**
     * Changes the state of one HSM (for example to {@link ControlPlaneHsm#DEGRADED}).
     *
     * @return the cluster as it is now
     * @throws IllegalArgumentException if the cluster is not hosted or has no HSM with this id
     */
    public ControlPlaneCluster setHsmState(String clusterId, String hsmId, String state) {
        Objects.requireNonNull(hsmId, "hsmId");
        return update(clusterId, c -> {
            List<ControlPlaneHsm> hsms = new ArrayList<>(c.hsms());
            for (int i = 0; i < hsms.size(); i++) {
                if (hsms.get(i).hsmId().equals(hsmId)) {
                    hsms.set(i, hsms.get(i).withState(state));
                    return c.withHsms(hsms);
                }
            }
            throw new IllegalArgumentException(clusterId + " has no HSM " + hsmId + "; it has "
                    + c.hsms().stream().map(ControlPlaneHsm::hsmId).toList());
        });
    }

    /**
     * Changes the state of a cluster.
     *
     * @return the cluster as it is now
     * @throws IllegalArgumentException if the cluster is not hosted
     */
    public ControlPlaneCluster setClusterState(String clusterId, String state) {
        return update(clusterId, c -> c.withState(state));
    }

    private ControlPlaneCluster update(String clusterId, UnaryOperator<ControlPlaneCluster> change) {
        Objects.requireNonNull(clusterId, "clusterId");
        ControlPlaneCluster updated = clusters.computeIfPresent(clusterId, (id, c) -> change.apply(c));
        if (updated == null) {
            throw new IllegalArgumentException("the control plane hosts no cluster " + clusterId
                    + "; it hosts " + new TreeMap<>(clusters).keySet());
        }
        return updated;
    }

    // ---- behaviour ------------------------------------------------------------------------

    /**
     * Sets how many clusters a page holds at most (a request's smaller {@code MaxResults} wins).
     *
     * @throws IllegalArgumentException unless 1 to 100
     */
    public void pageSize(int size) {
        if (size < DescribeClusters.MAX_RESULTS_MIN || size > DescribeClusters.MAX_RESULTS_MAX) {
            throw new IllegalArgumentException("page size must be 1 to 100, got " + size);
        }
        this.pageSize = size;
    }

    /**
     * Delays every answer (errors included) by this much, from when the request body has been
     * read; {@link Duration#ZERO} (the default) answers at once. The wait is a timer, not a sleep.
     *
     * @throws IllegalArgumentException if negative
     */
    public void latency(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + delay);
        }
        this.latency = delay;
    }

    /**
     * Answers the next {@code count} signed requests, whatever their target, with this AWS error
     * instead (replacing any injection still pending). Examples: {@code ("ThrottlingException", 400)},
     * {@code ("CloudHsmAccessDeniedException", 400)}, {@code ("CloudHsmInternalFailureException", 500)}.
     *
     * @param count how many requests fail; 0 cancels a pending injection
     * @param awsErrorType the error's {@code __type}
     * @param httpStatus the HTTP status, 400 to 599
     * @throws IllegalArgumentException on a negative count, a blank type or a status out of range
     */
    public void failNext(int count, String awsErrorType, int httpStatus) {
        Objects.requireNonNull(awsErrorType, "awsErrorType");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        if (awsErrorType.isBlank()) {
            throw new IllegalArgumentException("awsErrorType must not be blank");
        }
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 400 to 599, got " + httpStatus);
        }
        injection.set(new Injection(count, awsErrorType, httpStatus));
    }

    /** How many injected failures are still to come. */
    public int pendingFailures() {
        return injection.get().remaining();
    }

    // ---- observation ----------------------------------------------------------------------

    /** Every request received so far (the last {@value #MAX_RECORDED_REQUESTS}), oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** The recorded requests whose target is {@code BaldrApiService.DescribeClusters}. */
    public List<RecordedRequest> describeClustersRequests() {
        return requests().stream().filter(r -> r.target().equals(DescribeClusters.TARGET)).toList();
    }

    /** Forgets the recorded requests and resets {@link #peakConcurrentRequests()}. */
    public void clearRequests() {
        recorded.clear();
        recordedCount.set(0);
        peakInFlight.set(inFlight.get());
    }

    /** The most requests that were being answered at the same time (latency included). */
    public int peakConcurrentRequests() {
        return peakInFlight.get();
    }

    /** Stops listening and closes open connections. Call it from a thread that may block. */
    @Override
    public void close() {
        DisposableServer s = server;
        if (s != null && !s.isDisposed()) {
            s.disposeNow(Duration.ofSeconds(5));
        }
    }

    // ---- HTTP -----------------------------------------------------------------------------

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (request.method() != HttpMethod.POST || !path.equals("/")) {
            return response.status(HttpResponseStatus.NOT_FOUND).send();
        }
        String length = request.requestHeaders().get("Content-Length");
        if (length != null && parseLong(length) > MAX_BODY_BYTES) {
            return send(response, Reply.error(413, "RequestEntityTooLargeException",
                    "the body is larger than " + MAX_BODY_BYTES + " bytes"));
        }
        Map<String, String> headers = new TreeMap<>();
        request.requestHeaders().forEach(e ->
                headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
        // The latency timer runs on this connection's own event loop: no other thread writes to it.
        AtomicReference<Scheduler> eventLoop = new AtomicReference<>(Schedulers.parallel());
        request.withConnection(c -> eventLoop.set(Schedulers.fromExecutorService(c.channel().eventLoop())));
        Scheduler loop = eventLoop.get();
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(text -> {
                    int now = inFlight.incrementAndGet();
                    peakInFlight.accumulateAndGet(now, Math::max);
                    Mono<Void> answer = send(response, answer(headers, text));
                    Duration delay = latency;
                    Mono<Void> timed = delay.isZero() ? answer : Mono.delay(delay, loop).then(answer);
                    return timed.doFinally(signal -> inFlight.decrementAndGet());
                });
    }

    private Reply answer(Map<String, String> headers, String text) {
        String target = headers.getOrDefault("x-amz-target", "");
        String authorization = headers.getOrDefault("authorization", "");
        Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
        boolean signed = scope.find();
        String region = signed ? scope.group(1) : "";
        JsonNode body = parse(text);
        record(new RecordedRequest(target, region, body, headers, Instant.now()));

        if (!signed) {
            return Reply.error(403, "MissingAuthenticationTokenException",
                    "Missing Authentication Token: sign the request with SigV4 (credential scope .../<region>/cloudhsm/aws4_request)");
        }
        if (!scope.group(2).equals("cloudhsm")) {
            return Reply.error(403, "InvalidSignatureException",
                    "the credential scope names service '" + scope.group(2) + "'; expected cloudhsm");
        }
        Injection injected = takeInjection();
        if (injected != null) {
            return Reply.error(injected.status(), injected.type(), "injected failure (" + injected.type() + ")");
        }
        if (!target.equals(DescribeClusters.TARGET)) {
            return Reply.error(400, "UnknownOperationException",
                    "unknown operation '" + target + "'; this control plane answers " + DescribeClusters.TARGET);
        }
        if (body.isMissingNode()) {
            return Reply.error(400, "SerializationException", "the request body is not JSON");
        }
        return DescribeClusters.answer(region, body, clusters.values(), pageSize);
    }

    private Mono<Void> send(HttpServerResponse response, Reply reply) {
        HttpServerResponse r = response.status(reply.status())
                .header("Content-Type", CONTENT_TYPE)
                .header("x-amzn-RequestId", "local-" + requestIds.incrementAndGet());
        if (reply.errorType() != null) {
            r = r.header("x-amzn-ErrorType", reply.errorType());
        }
        String ports = reportedPorts(reply.body());
        if (!ports.isEmpty()) {
            r = r.header(PORTS_HEADER, ports);
        }
        // Bytes, not sendString: sendString takes a lock in its encoder cache, which parks event loops that race for it.
        byte[] body = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        return r.header("Content-Length", Integer.toString(body.length)).sendByteArray(Mono.just(body)).then();
    }

    /** {@code hsm-a=40001,hsm-b=40002} for the HSMs of the answer whose port is known. */
    private String reportedPorts(JsonNode body) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : body.path("Clusters")) {
            ControlPlaneCluster hosted = clusters.get(c.path("ClusterId").asText());
            if (hosted == null) {
                continue;
            }
            for (ControlPlaneHsm h : hosted.hsms()) {
                if (h.port() > 0) {
                    sb.append(sb.length() > 0 ? "," : "").append(h.hsmId()).append('=').append(h.port());
                }
            }
        }
        return sb.toString();
    }

    private void record(RecordedRequest request) {
        recorded.addLast(request);
        if (recordedCount.incrementAndGet() > MAX_RECORDED_REQUESTS && recorded.pollFirst() != null) {
            recordedCount.decrementAndGet();
        }
    }

    private Injection takeInjection() {
        Injection before = injection.getAndUpdate(i -> i.remaining() > 0 ? i.decremented() : i);
        return before.remaining() > 0 ? before : null;
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * Jackson builds its tree deserializer on first use under a lock; event loops racing for that
     * lock would park (BlockHound fails it). Building it here, once, keeps the event loop lock-free.
     */
    private static ObjectMapper warmedUp(ObjectMapper mapper) {
        try {
            mapper.readTree("{\"a\":[1,\"b\",{},null,true,1.5]}");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot initialise Jackson", e);
        }
        return mapper;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Failures still to inject. */
    private record Injection(int remaining, String type, int status) {
        static final Injection NONE = new Injection(0, "none", 500);

        Injection decremented() {
            return new Injection(remaining - 1, type, status);
        }
    }
}
