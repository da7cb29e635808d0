package dev.multislot.connector;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.connector.internal.slot.HsmNode;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Reads the connector's internal counters, for assertions that nothing is left behind. */
final class Internals {

    private Internals() {
    }

    static int pending(Slot slot) {
        return ((SlotImpl) slot).pendingRequests();
    }

    static int inFlight(Slot slot) {
        return ((SlotImpl) slot).nodes().stream().mapToInt(HsmNode::inFlight).sum();
    }

    /** Request-table places taken on every open connection of the slot. */
    static int occupiedPlaces(Slot slot) {
        int n = 0;
        for (HsmNode node : ((SlotImpl) slot).nodes()) {
            for (HsmConnection c : node.readyConnections()) {
                n += c.occupiedPlaces().block(Duration.ofSeconds(5));
            }
        }
        return n;
    }

    /** The slot's login state: its generation rises with every login and logout begun. */
    static LoginState login(Slot slot) {
        return ((SlotImpl) slot).currentLogin();
    }

    static int readyConnections(Slot slot) {
        return ((SlotImpl) slot).nodes().stream().mapToInt(n -> n.readyConnections().size()).sum();
    }

    static int connectionLoad(Slot slot) {
        int n = 0;
        for (HsmNode node : ((SlotImpl) slot).nodes()) {
            for (HsmConnection c : node.readyConnections()) {
                n += c.load();
            }
        }
        return n;
    }

    /**
     * Logs in and waits until every open connection of the slot carries the login. {@code login()}
     * completes once one connection has it; the others take it in the background, and a test that
     * stalls or drops HSMs right after login would otherwise catch a LOGIN still on its way.
     */
    static SlotSession loginEverywhere(Slot slot) {
        SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
        awaitLoginEverywhere(slot);
        return session;
    }

    /** Waits until every connection of the slot carries a login (see {@link #loginEverywhere}). */
    static void awaitLoginEverywhere(Slot slot) {
        Await.until("every connection to carry the login", Duration.ofSeconds(30),
                () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> !n.readyConnections().isEmpty()
                        && n.readyConnections().stream().allMatch(c -> c.loginGeneration() > 0)));
    }

    /** Returns once the registry thread has run everything queued for it before this call. */
    static void awaitRegistry(Slot slot) {
        Mono.fromRunnable(() -> { }).subscribeOn(((SlotImpl) slot).context().registry()).block(Duration.ofSeconds(10));
    }

    /** Adds to {@code into}, in order, each state {@code hsm}'s breaker moves to from now on; dispose the result when done. */
    static Disposable recordBreakerStates(ReactorHsmConnector connector, HsmAddress hsm, List<BreakerState> into) {
        return connector.events().subscribe(e -> {
            if (e instanceof SlotEvent.BreakerStateChanged b && b.hsm().equals(hsm)) {
                into.add(b.to());
            }
        });
    }
}
