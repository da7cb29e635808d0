package dev.multislot.connector.internal.slot;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotHealth;
import dev.multislot.api.SlotId;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.errors.UserAlreadyLoggedInException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.connector.LoadBalancingPolicy;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.log.RateLimitedWarning;
import dev.multislot.connector.internal.metrics.SlotRecorder;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.HsmErrors;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.connector.internal.transport.TlsMaterial;
import dev.multislot.connector.internal.transport.TlsMaterialLoader;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.Request;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A slot: one cluster's HSMs behind the {@link Slot} API.
 *
 * <p>Membership ({@link #nodes}, {@link #config}, {@link #tls}, the HSMs' zones) changes only
 * through the lifecycle methods, which run one at a time on the connector's registry thread, as
 * do the HSMs' up/down changes and the load balancing policy's hooks; the request path reads the
 * volatile snapshot array and never locks. The pending counter bounds the requests the
 * slot holds: admission increments it and refuses at once above the limit.
 */
public final class SlotImpl implements Slot {

    private static final Logger log = LoggerFactory.getLogger(SlotImpl.class);

    private static final int ACTIVE = 0;
    private static final int DRAINING = 1;
    private static final int REMOVED = 2;
    private static final int CLOSING = 3;
    private static final int CLOSED = 4;

    private static final HsmNode[] NO_NODES = new HsmNode[0];
    private static final FastThreadLocal<ArrayList<HsmNode>> CANDIDATES = new FastThreadLocal<>() {
        @Override
        protected ArrayList<HsmNode> initialValue() {
            return new ArrayList<>(8);
        }
    };

    private final SlotId id;
    private final ClusterId clusterId;
    private final SlotContext context;
    private final AtomicInteger pending = new AtomicInteger();
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final AtomicReference<LoginState> login = new AtomicReference<>(LoginState.initial());
    private final SlotRecorder recorder;
    /** One per connection that cannot follow a login change: many at once when an HSM stalls. */
    private final RateLimitedWarning loginChangeFailed = new RateLimitedWarning(log);

    private volatile int index;
    private volatile SlotOptions options;
    private volatile ClusterConfig config;
    private volatile TlsMaterial tls;
    private volatile HsmConnectorException tlsError;
    private volatile HsmNode[] nodes = NO_NODES;
    /** Each HSM's availability zone, from the config file and the last topology refresh. */
    private volatile Map<HsmAddress, String> zones;
    private volatile int state = ACTIVE;
    private volatile long lastAllDownNanos;
    /** The cluster's key availability check (options.disable_key_availability_check). */
    final KeyAvailability keyAvailability = new KeyAvailability(this);

    public SlotImpl(SlotId id, ClusterConfig config, int index, SlotOptions options, SlotContext context) {
        this.id = Objects.requireNonNull(id);
        this.clusterId = config.clusterId();
        this.config = config;
        this.index = index;
        this.options = options;
        this.context = context;
        this.recorder = context.metrics().recorder().slotAdded(this);
        this.zones = zonesOf(config);
    }

    private static Map<HsmAddress, String> zonesOf(ClusterConfig config) {
        Map<HsmAddress, String> z = new LinkedHashMap<>();
        for (ServerConfig s : config.servers()) {
            s.availabilityZone().ifPresent(zone -> z.put(s.address(), zone));
        }
        return Map.copyOf(z);
    }

    // ------------------------------------------------------------------ Slot

    @Override
    public SlotId id() {
        return id;
    }

    @Override
    public ClusterId clusterId() {
        return clusterId;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public List<HsmAddress> hsms() {
        HsmNode[] snapshot = nodes;
        List<HsmAddress> list = new ArrayList<>(snapshot.length);
        for (HsmNode n : snapshot) {
            list.add(n.address());
        }
        return List.copyOf(list);
    }

    @Override
    public SlotHealth health() {
        HsmNode[] snapshot = nodes;
        List<SlotHealth.HsmHealth> list = new ArrayList<>(snapshot.length);
        for (HsmNode n : snapshot) {
            list.add(n.health());
        }
        list.sort(Comparator.comparing(SlotHealth.HsmHealth::address));
        return new SlotHealth(id, clusterId, list, pending.get());
    }

    @Override
    public Mono<SlotSession> login(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        String user = credentials.username();
        return Mono.defer(() -> {
            HsmConnectorException refused = refusalForNewWork();
            if (refused != null) {
                return Mono.error(refused);
            }
            char[] password = credentials.password();
            byte[] utf8 = utf8(password);
            Arrays.fill(password, '\0');
            for (;;) {
                LoginState current = login.get();
                if (current.isLoggedIn()) {
                    boolean same = current.username().equals(user) && current.passwordEquals(utf8);
                    Arrays.fill(utf8, (byte) 0);
                    if (!same) {
                        return Mono.error(new UserAlreadyLoggedInException("user '" + current.username()
                                + "' is logged in to this slot" + (current.username().equals(user)
                                ? " with other credentials" : "") + "; log out first", clusterId, null));
                    }
                    return current.outcome().thenReturn((SlotSession) new SlotSessionImpl(this, current));
                }
                LoginState next = current.loginAs(user, utf8);
                if (login.compareAndSet(current, next)) {
                    performLogin(next);
                    return next.outcome().thenReturn((SlotSession) new SlotSessionImpl(this, next));
                }
            }
        });
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /**
     * Logs in on one connection first, so that a wrong password costs exactly one LOGIN (no
     * lockout storm); once it is accepted, on every other connection in the background.
     */
    private void performLogin(LoginState next) {
        Set<HsmNode> tried = new HashSet<>();
        Map<HsmAddress, Throwable> failures = new TreeMap<>();
        TimeSource time = time();
        long begun = time.nanoTime();
        next.outcome().subscribe(null, e -> recorder.requestEnded(null, Opcode.LOGIN, time.nanoTime() - begun, null, e),
                () -> recorder.requestEnded(null, Opcode.LOGIN, time.nanoTime() - begun, null, null));
        tryLogin(next, tried, failures);
    }

    private void tryLogin(LoginState next, Set<HsmNode> tried, Map<HsmAddress, Throwable> failures) {
        if (login.get() != next) {
            next.reject(new UserAlreadyLoggedInException("the login was replaced before it completed", clusterId, null));
            return;
        }
        HsmNode node = null;
        HsmConnection connection = null;
        for (HsmNode n : nodes) {
            if (!tried.contains(n) && !n.isClosed()) {
                HsmConnection c = n.anyReadyConnection();
                if (c != null && (connection == null || c.load() < connection.load())) {
                    node = n;
                    connection = c;
                }
            }
        }
        if (connection == null) {
            for (HsmNode n : nodes) {
                if (!failures.containsKey(n.address())) {
                    failures.put(n.address(), n.unavailableReason(next.generation()));
                }
            }
            abandonLogin(next, new SlotUnavailableException("cannot log in: no HSM of the slot is reachable", clusterId,
                    failures));
            return;
        }
        HsmNode chosen = node;
        tried.add(chosen);
        connection.applyLogin(next)
                .timeout(options.requestTimeout(), context.timer())
                .subscribe(null, error -> {
                    if (error instanceof AuthenticationFailedException auth) {
                        log.warn("{}: login of user '{}' rejected by HSM {}", clusterId, next.username(), chosen.address());
                        abandonLogin(next, auth);
                    } else {
                        failures.put(chosen.address(), error);
                        tryLogin(next, tried, failures);
                    }
                }, () -> {
                    next.confirm();
                    log.info("{}: user '{}' logged in", clusterId, next.username());
                    broadcastLogin(next);
                });
    }

    private void abandonLogin(LoginState attempt, Throwable error) {
        if (login.compareAndSet(attempt, attempt.loggedOut())) {
            attempt.reject(error);
            broadcastLogin(login.get());
            attempt.wipe();
        } else {
            attempt.reject(error);
        }
    }

    /** Brings every ready connection to {@code target}; a connection that cannot follow is closed. */
    private Mono<Void> broadcastLogin(LoginState target) {
        List<Mono<Void>> all = new ArrayList<>();
        for (HsmNode n : nodes) {
            for (HsmConnection c : n.readyConnections()) {
                if (c.loginGeneration() < target.generation()) {
                    all.add(c.applyLogin(target)
                            .timeout(options.connectTimeout(), context.timer())
                            .onErrorResume(e -> {
                                if (state == ACTIVE && !c.isClosed()) {
                                    loginChangeFailed.warn("{} HSM {}: could not apply the login change on a connection ({}); reconnecting",
                                            clusterId, n.address(), e.getMessage());
                                }
                                c.close(HsmErrors.asHsmError(e, "login change failed", clusterId, n.address()));
                                return Mono.empty();
                            }));
                }
            }
        }
        Mono<Void> done = Mono.when(all).cache();
        done.subscribe();
        return done;
    }

    /** A connection just opened: bring it to the slot's login if that changed while it was connecting. */
    void syncLogin(HsmConnection connection) {
        LoginState target = login.get();
        if (target.isConfirmed() && connection.loginGeneration() < target.generation()) {
            connection.applyLogin(target).subscribe(null, e -> connection.close(
                    HsmErrors.asHsmError(e, "login replay failed", clusterId, null)));
        }
    }

    /** Logs out {@code session}'s login (if it is still the slot's) on every connection. */
    Mono<Void> logout(LoginState session) {
        return Mono.defer(() -> {
            LoginState current = login.get();
            if (current != session || !current.isLoggedIn()) {
                return Mono.empty();
            }
            LoginState out = current.loggedOut();
            if (!login.compareAndSet(current, out)) {
                return Mono.empty();
            }
            log.info("{}: user '{}' logged out", clusterId, current.username());
            return broadcastLogin(out).doFinally(s -> current.wipe());
        });
    }

    LoginState currentLogin() {
        return login.get();
    }

    // ------------------------------------------------------------------ request path

    /** A session operation whose request is the same for every subscription (it holds no caller's array). */
    <T> Mono<T> call(LoginState session, Request request, ResponseMapper<T> mapper) {
        return new RequestCall.Fixed<>(this, session, request, mapper);
    }

    /** The source of time of the request path: the connections' own. */
    TimeSource time() {
        return context.time();
    }

    public SlotOptions options() {
        return options;
    }

    public SlotContext context() {
        return context;
    }

    /** Where this slot's meters and observations go. */
    SlotRecorder recorder() {
        return recorder;
    }

    /** Admits a new request (counting it as pending), or says why not. */
    HsmConnectorException admit() {
        HsmConnectorException refused = refusalForNewWork();
        if (refused != null) {
            return refused;
        }
        int max = options.maxPendingRequests();
        // Compare-and-set rather than increment-then-undo, so the count (which SlotHealth shows)
        // never reads above the limit, not even for a moment.
        for (;;) {
            int n = pending.get();
            if (n >= max) {
                return new SlotOverloadedException(clusterId, max);
            }
            if (pending.compareAndSet(n, n + 1)) {
                return null;
            }
        }
    }

    private HsmConnectorException refusalForNewWork() {
        int s = state;
        if (s == ACTIVE) {
            return null;
        }
        if (s == DRAINING || s == REMOVED) {
            return new SlotRemovedException("the cluster was removed from the config; the slot takes no new requests",
                    clusterId, null);
        }
        return new ConnectorClosedException("the connector is closed", clusterId, null);
    }

    /** Why a request already admitted must stop now, or null to go on. */
    HsmConnectorException refusalWhileRunning() {
        int s = state;
        if (s == REMOVED) {
            return new SlotRemovedException("the cluster was removed from the config before the request could finish",
                    clusterId, null);
        }
        if (s == CLOSED) {
            return new ConnectorClosedException("the connector was closed before the request could finish", clusterId, null);
        }
        return null;
    }

    void release() {
        if (pending.decrementAndGet() == 0 && state != ACTIVE) {
            drained.tryEmitEmpty();
        }
    }

    /** Requests admitted and not yet ended. */
    public int pendingRequests() {
        return pending.get();
    }

    /** The HSM for the next attempt, or null if none can take it. */
    HsmNode pick(int loginGeneration, HsmNode[] excluded, int excludedCount) {
        HsmNode[] snapshot = nodes;
        ArrayList<HsmNode> candidates = CANDIDATES.get();
        try {
            outer:
            for (HsmNode n : snapshot) {
                for (int i = 0; i < excludedCount; i++) {
                    if (excluded[i] == n) {
                        continue outer;
                    }
                }
                if (n.isCandidate(loginGeneration)) {
                    candidates.add(n);
                }
            }
            int size = candidates.size();
            if (size == 0) {
                return null;
            }
            if (size == 1) {
                return candidates.get(0);
            }
            LoadBalancingPolicy policy = context.policy();
            int chosen;
            try {
                chosen = policy.pick(candidates);
            } catch (RuntimeException e) {
                throw new IllegalStateException("the load balancing policy " + policy + " failed to choose among "
                        + size + " HSMs of " + clusterId + ": " + e, e);
            }
            if (chosen < 0 || chosen >= size) {
                throw new IllegalStateException("the load balancing policy " + policy + " chose position " + chosen
                        + " among " + size + " HSMs of " + clusterId + "; pick must return a position from 0 to " + (size - 1));
            }
            return candidates.get(chosen);
        } finally {
            candidates.clear();
        }
    }

    /** The error for "no HSM can take this request", with each HSM's last error. */
    SlotUnavailableException unavailable(int loginGeneration, Map<HsmAddress, Throwable> callErrors) {
        Map<HsmAddress, Throwable> all = new TreeMap<>();
        for (HsmNode n : nodes) {
            Throwable e = callErrors != null ? callErrors.get(n.address()) : null;
            all.put(n.address(), e != null ? e : n.unavailableReason(loginGeneration));
        }
        if (callErrors != null) {
            callErrors.forEach(all::putIfAbsent);
        }
        String message = all.isEmpty() ? "the slot has no HSM" : "no HSM of the slot can take the request";
        return new SlotUnavailableException(message, clusterId, new LinkedHashMap<>(all));
    }

    // ------------------------------------------------------------------ events

    void publish(SlotEvent event) {
        context.events().publish(event);
    }

    Instant now() {
        return context.clock().instant();
    }

    /** The HSM's availability zone, if the config file or the last topology refresh told it. */
    Optional<String> zoneOf(HsmAddress address) {
        return Optional.ofNullable(zones.get(address));
    }

    /**
     * Runs one of the load balancing policy's hooks on the registry thread, after the change that
     * called it. A hook that throws is the policy's bug: logged, never the connector's failure.
     */
    void policyHook(Consumer<LoadBalancingPolicy> hook) {
        LoadBalancingPolicy policy = context.policy();
        context.onRegistry(() -> {
            try {
                hook.accept(policy);
            } catch (RuntimeException e) {
                log.warn("{}: the load balancing policy {} failed in a lifecycle hook", clusterId, policy, e);
            }
        });
    }

    /** An HSM failed to connect: when all of them are down, ask for a topology refresh. */
    void onConnectFailed() {
        if (state != ACTIVE) {
            return;
        }
        HsmNode[] snapshot = nodes;
        if (snapshot.length == 0) {
            return;
        }
        for (HsmNode n : snapshot) {
            if (!n.hasFailedToConnect()) {
                return;
            }
        }
        long now = time().nanoTime();
        // One trigger per second at most: every reconnect failure of every HSM lands here.
        if (now - lastAllDownNanos < 1_000_000_000L && lastAllDownNanos != 0) {
            return;
        }
        lastAllDownNanos = now;
        context.allHsmsDown().accept(this);
    }

    // ------------------------------------------------------------------ lifecycle (registry thread)

    public ClusterConfig config() {
        return config;
    }

    public void setIndex(int index) {
        this.index = index;
    }

    public void setOptions(SlotOptions options) {
        this.options = options;
    }

    /** The HSM nodes in use now; for tests and the registry. */
    public List<HsmNode> nodes() {
        return List.of(nodes);
    }

    /** How many HSM nodes are in use now, without copying them. */
    int nodeCount() {
        return nodes.length;
    }

    /**
     * Reads the TLS files and connects to {@code hsms}. Completes once every HSM has had its first
     * connection attempt (or the connect timeout has passed), so that a slot is usable as soon as
     * it is announced.
     */
    public Mono<Void> start(List<HsmAddress> hsms) {
        return loadTls(config)
                .publishOn(context.registry())
                .flatMap(loaded -> {
                    applyTls(loaded);
                    List<HsmNode> created = new ArrayList<>();
                    for (HsmAddress a : hsms) {
                        created.add(newNode(a));
                    }
                    nodes = created.toArray(NO_NODES);
                    List<HsmNode> initial = List.copyOf(created);
                    policyHook(p -> p.init(clusterId, initial));
                    return awaitFirstAttempts(created);
                });
    }

    /**
     * Applies a changed cluster config: new TLS files mean new connections to every HSM; otherwise
     * only added HSMs get new connections. New connections are opened before the old ones are
     * drained, so requests keep flowing; the old ones finish their in-flight requests (up to the
     * drain grace period) and close. Publishes HsmAdded/HsmRemoved and SlotChanged.
     */
    public Mono<Void> reconfigure(ClusterConfig newConfig, List<HsmAddress> hsms, SlotOptions newOptions) {
        ClusterConfig old = config;
        boolean tlsChanged = !old.hsmCaFile().equals(newConfig.hsmCaFile())
                || !old.clientCertFile().equals(newConfig.clientCertFile())
                || !old.clientKeyFile().equals(newConfig.clientKeyFile())
                || newOptions.hostnameVerification() != options.hostnameVerification();
        options = newOptions;
        config = newConfig;
        zones = zonesOf(newConfig);
        Mono<Boolean> tlsStep = tlsChanged ? loadTls(newConfig).publishOn(context.registry()).map(loaded -> {
            applyTls(loaded);
            return true;
        }) : Mono.just(false);
        return tlsStep.flatMap(renewAll -> replaceNodes(hsms, renewAll))
                .then(Mono.fromRunnable(() -> publish(new SlotEvent.SlotChanged(now(), id, clusterId, hsms()))));
    }

    /**
     * Applies a discovered topology: HSMs that joined get connections, those gone are drained.
     * The zones discovery reported complete those the config file records.
     */
    public Mono<Void> applyTopology(List<HsmAddress> hsms, Map<HsmAddress, String> discoveredZones) {
        Map<HsmAddress, String> merged = new LinkedHashMap<>(discoveredZones);
        merged.putAll(zonesOf(config));
        zones = Map.copyOf(merged);
        return replaceNodes(hsms, false);
    }

    private Mono<Void> replaceNodes(List<HsmAddress> hsms, boolean renewAll) {
        HsmNode[] before = nodes;
        Map<HsmAddress, HsmNode> kept = new LinkedHashMap<>();
        if (!renewAll) {
            for (HsmNode n : before) {
                kept.put(n.address(), n);
            }
        }
        List<HsmNode> next = new ArrayList<>();
        List<HsmNode> created = new ArrayList<>();
        for (HsmAddress a : new LinkedHashSet<>(hsms)) {
            HsmNode existing = kept.get(a);
            if (existing != null && !existing.isClosed()) {
                next.add(existing);
            } else {
                HsmNode n = newNode(a);
                created.add(n);
                next.add(n);
                // Queued now, on the registry thread, so that it comes before the node's first onUp.
                policyHook(p -> p.onAdd(n));
            }
        }
        return awaitFirstAttempts(created)
                .publishOn(context.registry())
                .then(Mono.fromRunnable(() -> {
                    Set<HsmAddress> beforeAddresses = new HashSet<>();
                    for (HsmNode n : before) {
                        beforeAddresses.add(n.address());
                    }
                    Set<HsmAddress> afterAddresses = new HashSet<>();
                    for (HsmNode n : next) {
                        afterAddresses.add(n.address());
                    }
                    nodes = next.toArray(NO_NODES);
                    for (HsmNode n : next) {
                        if (!beforeAddresses.contains(n.address())) {
                            log.info("{}: HSM {} joined the slot", clusterId, n.address());
                            publish(new SlotEvent.HsmAdded(now(), id, clusterId, n.address()));
                        }
                    }
                    Set<HsmNode> stay = new HashSet<>(next);
                    for (HsmNode old : before) {
                        if (!stay.contains(old)) {
                            boolean gone = !afterAddresses.contains(old.address());
                            old.drainAndClose(options.drainGracePeriod(), new HsmConnectionException(
                                            gone ? "the HSM left the slot" : "the slot's TLS settings changed", clusterId,
                                            old.address()))
                                    .subscribe(abandoned -> {
                                        recorder.hsmRemoved(old.address());
                                        if (gone) {
                                            log.info("{}: HSM {} left the slot ({} requests cut off)", clusterId,
                                                    old.address(), abandoned);
                                            publish(new SlotEvent.HsmRemoved(now(), id, clusterId, old.address()));
                                        }
                                    });
                        }
                    }
                }));
    }

    private HsmNode newNode(HsmAddress address) {
        recorder.hsmAdded(address);
        return new HsmNode(this, address, tls, tlsError, options);
    }

    private Mono<Void> awaitFirstAttempts(List<HsmNode> created) {
        if (created.isEmpty()) {
            return Mono.empty();
        }
        // Two connect timeouts: TCP+TLS, then HELLO and the login replay, each bounded by one.
        Duration bound = options.connectTimeout().multipliedBy(2).plusMillis(100);
        return Flux.fromIterable(created)
                .flatMap(HsmNode::start)
                .then()
                .timeout(bound, Mono.empty(), context.timer());
    }

    private Mono<TlsSetup> loadTls(ClusterConfig cfg) {
        boolean verify = options.hostnameVerification();
        return Mono.<TlsSetup>fromCallable(() -> new TlsSetup.Loaded(TlsMaterialLoader.load(cfg, verify)))
                .subscribeOn(context.files())
                .onErrorResume(TlsMaterialLoader.TlsSetupException.class, e -> Mono.just(
                        new TlsSetup.Failed(new HsmTlsException(e.getMessage(), clusterId, null, e.getCause()))));
    }

    private void applyTls(TlsSetup loaded) {
        tls = loaded.material();
        tlsError = loaded.error();
        if (tlsError != null) {
            log.warn("{}", tlsError.getMessage());
        }
    }

    /**
     * The cluster left the config: no new requests from now on. Returns the number of requests in
     * flight, for {@link SlotEvent.SlotDraining}.
     */
    public int beginRemoval() {
        state = DRAINING;
        if (pending.get() == 0) {
            drained.tryEmitEmpty();
        }
        return pending.get();
    }

    /** The connector is closing: no new requests from now on. */
    public void beginClose() {
        state = CLOSING;
        if (pending.get() == 0) {
            drained.tryEmitEmpty();
        }
    }

    /** Completes when no request is pending, or after {@code grace}. */
    public Mono<Void> awaitDrained(Duration grace) {
        return drained.asMono().timeout(grace, Mono.empty(), context.timer());
    }

    /**
     * On the registry thread: closes every connection; requests still pending end with
     * {@link SlotRemovedException} (after a removal) or {@link ConnectorClosedException} (on close).
     * Returns how many were still pending.
     */
    public int finish(boolean connectorClosing) {
        int abandoned = pending.get();
        state = connectorClosing ? CLOSED : REMOVED;
        HsmConnectorException cause = connectorClosing
                ? new ConnectorClosedException("the connector closed", clusterId, null)
                : new SlotRemovedException("the cluster was removed from the config", clusterId, null);
        for (HsmNode n : nodes) {
            n.closeNow(cause);
        }
        LoginState last = login.getAndSet(login.get().loggedOut());
        last.wipe();
        recorder.close();
        return abandoned;
    }

    public boolean isActive() {
        return state == ACTIVE;
    }

    @Override
    public String toString() {
        return "Slot[" + id + ", " + clusterId + ", index " + index + "]";
    }
}
