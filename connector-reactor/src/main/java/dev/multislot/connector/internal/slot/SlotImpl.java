package dev.multislot.connector.internal.slot;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotHealth;
import dev.multislot.api.SlotId;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.connector.LoadBalancingPolicy;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.metrics.SlotRecorder;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.Request;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A slot: one cluster's HSMs behind the {@link Slot} API.
 *
 * <p>Its HSMs are {@link SlotMembership}'s, its login {@link SlotLogin}'s; both change only on the
 * connector's registry thread, as do the HSMs' up/down changes and the load balancing policy's
 * hooks. The request path reads their volatile snapshots and never locks. This class admits
 * requests (the pending counter bounds what the slot holds: admission refuses at once above the
 * limit), picks an HSM for each attempt, and drains and ends the slot.
 */
public final class SlotImpl implements Slot {

    private static final Logger log = LoggerFactory.getLogger(SlotImpl.class);

    private static final int ACTIVE = 0;
    private static final int DRAINING = 1;
    private static final int REMOVED = 2;
    private static final int CLOSING = 3;
    private static final int CLOSED = 4;

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
    private final SlotLogin login;
    private final SlotMembership membership;
    private final SlotRecorder recorder;

    private volatile int index;
    private volatile SlotOptions options;
    private volatile int state = ACTIVE;
    private volatile long lastAllDownNanos;
    /** The cluster's key availability check (options.disable_key_availability_check). */
    final KeyAvailability keyAvailability = new KeyAvailability(this);

    public SlotImpl(SlotId id, ClusterConfig config, int index, SlotOptions options, SlotContext context) {
        this.id = Objects.requireNonNull(id);
        this.clusterId = config.clusterId();
        this.index = index;
        this.options = options;
        this.context = context;
        this.recorder = context.metrics().recorder().slotAdded(this);
        this.membership = new SlotMembership(this, config);
        this.login = new SlotLogin(this);
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
        HsmNode[] snapshot = membership.nodes();
        List<HsmAddress> list = new ArrayList<>(snapshot.length);
        for (HsmNode n : snapshot) {
            list.add(n.address());
        }
        return List.copyOf(list);
    }

    @Override
    public SlotHealth health() {
        HsmNode[] snapshot = membership.nodes();
        List<SlotHealth.HsmHealth> list = new ArrayList<>(snapshot.length);
        for (HsmNode n : snapshot) {
            list.add(n.health());
        }
        list.sort(Comparator.comparing(SlotHealth.HsmHealth::address));
        return new SlotHealth(id, clusterId, list, pending.get());
    }

    @Override
    public Mono<SlotSession> login(Credentials credentials) {
        return login.login(credentials);
    }

    /** A connection just opened: bring it to the slot's login if that changed while it was connecting. */
    void syncLogin(HsmConnection connection) {
        login.sync(connection);
    }

    /** Logs out {@code session}'s login (if it is still the slot's) on every connection. */
    Mono<Void> logout(LoginState session) {
        return login.logout(session);
    }

    /** The login every connection of the slot should hold now. */
    public LoginState currentLogin() {
        return login.current();
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

    HsmConnectorException refusalForNewWork() {
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
        HsmNode[] snapshot = membership.nodes();
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
        for (HsmNode n : membership.nodes()) {
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
        return membership.zoneOf(address);
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
        HsmNode[] snapshot = membership.nodes();
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
        return membership.config();
    }

    public void setIndex(int index) {
        this.index = index;
    }

    public void setOptions(SlotOptions options) {
        this.options = options;
    }

    /** The HSM nodes in use now; for tests and the registry. */
    public List<HsmNode> nodes() {
        return List.of(membership.nodes());
    }

    /** The HSM nodes in use now, without copying them; the caller must not change the array. */
    HsmNode[] nodeSnapshot() {
        return membership.nodes();
    }

    /** How many HSM nodes are in use now, without copying them. */
    int nodeCount() {
        return membership.nodes().length;
    }

    /**
     * Reads the TLS files and connects to {@code hsms}; see {@link SlotMembership#start}.
     */
    public Mono<Void> start(List<HsmAddress> hsms) {
        return membership.start(hsms);
    }

    /** Applies a changed cluster config; see {@link SlotMembership#reconfigure}. */
    public Mono<Void> reconfigure(ClusterConfig newConfig, List<HsmAddress> hsms, SlotOptions newOptions) {
        return membership.reconfigure(newConfig, hsms, newOptions);
    }

    /** Applies a discovered topology; see {@link SlotMembership#applyTopology}. */
    public Mono<Void> applyTopology(List<HsmAddress> hsms, Map<HsmAddress, String> discoveredZones) {
        return membership.applyTopology(hsms, discoveredZones);
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
        for (HsmNode n : membership.nodes()) {
            n.closeNow(cause);
        }
        login.close(cause);
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
