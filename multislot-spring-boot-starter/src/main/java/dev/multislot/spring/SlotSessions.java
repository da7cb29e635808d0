package dev.multislot.spring;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotId;
import dev.multislot.api.SlotSession;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Logged-in sessions of the configured crypto user ({@code multislot.user.*}), one login per slot.
 *
 * <p>{@link #session(ClusterId)} logs in on first use and hands every later caller the same session;
 * a failed login is not remembered, so the next call tries again. A slot whose cluster left the
 * config and came back is a new slot, and gets a new login. Never blocks.
 */
public final class SlotSessions implements AutoCloseable {

    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final HsmConnector connector;
    private final Optional<Credentials> credentials;
    private final Map<SlotId, Mono<SlotSession>> logins = new ConcurrentHashMap<>();

    public SlotSessions(HsmConnector connector, Optional<Credentials> credentials) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * A session on the slot of {@code clusterId}: fails with
     * {@link dev.multislot.api.errors.SlotNotFoundException} (listing the configured ids) when that
     * cluster is not configured, with the login's own errors otherwise, and with
     * {@link IllegalStateException} when no crypto user is configured.
     */
    public Mono<SlotSession> session(ClusterId clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        return connector.requireSlot(clusterId).flatMap(this::login);
    }

    private Mono<SlotSession> login(Slot slot) {
        if (credentials.isEmpty()) {
            return Mono.error(new IllegalStateException(
                    "no crypto user is configured: set multislot.user.name and multislot.user.password (or multislot.user.password-file)"));
        }
        forgetRemovedSlots();
        return logins.computeIfAbsent(slot.id(), id -> slot.login(credentials.get())
                .cache(session -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO));
    }

    private void forgetRemovedSlots() {
        if (logins.size() > connector.slots().size()) {
            Set<SlotId> live = connector.slots().stream().map(Slot::id).collect(Collectors.toSet());
            logins.keySet().retainAll(live);
        }
    }

    /** Whether a crypto user is configured, so that {@link #session} can log in at all. */
    public boolean hasCredentials() {
        return credentials.isPresent();
    }

    /** Wipes the password; sessions already open stay open until the connector closes. */
    @Override
    public void close() {
        credentials.ifPresent(Credentials::destroy);
    }
}
