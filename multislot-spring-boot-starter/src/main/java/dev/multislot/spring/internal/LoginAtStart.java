package dev.multislot.spring.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.spring.SlotSessions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * Logs the configured crypto user in to every slot once the connector has started, and to every
 * slot a config change adds as it appears, through {@link SlotSessions} (so the application's first
 * {@code session(..)} finds the login done, or joins it).
 *
 * <p>Why at start: an HSM may close a connection that has not logged in within a while (hsm-local
 * does after 10 s), and a slot nobody has used yet would otherwise lose its connections, report
 * its HSMs down and open their breakers over and over. The logins run in the background; a failed
 * one is logged and the slot's next {@code session(..)} tries again, so a slot that is down at
 * start does not stop the application.
 */
public final class LoginAtStart implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LoginAtStart.class);

    private final HsmConnector connector;
    private final SlotSessions sessions;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Disposable added;

    public LoginAtStart(HsmConnector connector, SlotSessions sessions) {
        this.connector = connector;
        this.sessions = sessions;
    }

    @Override
    public void start() {
        if (!running.compareAndSet(false, true) || !sessions.hasCredentials()) {
            return;
        }
        // Subscribed before the current slots are read, so that none added in between is missed;
        // one seen both ways is logged in once (SlotSessions keeps one login per slot).
        added = connector.events().ofType(SlotEvent.SlotAdded.class).subscribe(e -> login(e.clusterId()));
        for (Slot slot : connector.slots()) {
            login(slot.clusterId());
        }
    }

    private void login(ClusterId clusterId) {
        sessions.session(clusterId).subscribe(
                session -> log.debug("slot {}: logged in at start", clusterId),
                error -> log.warn("slot {}: the crypto user could not log in at start ({}); the slot's next session tries again",
                        clusterId, error.getMessage()));
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            Disposable d = added;
            if (d != null) {
                d.dispose();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** After the connector starts (its lifecycle's phase is lower), and stops before it. */
    @Override
    public int getPhase() {
        return ConnectorLifecycle.PHASE + 1;
    }
}
