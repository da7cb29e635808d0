package dev.multislot.spring.internal;

import dev.multislot.api.Slot;
import dev.multislot.api.SlotHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * One slot's health: UP while at least one of its HSMs is connected with a breaker that lets
 * requests through, DOWN otherwise. Details: slot index, HSMs up and down, each HSM's breaker and
 * in-flight count, pending requests. Reads the slot's snapshot; never sends a request.
 */
final class SlotHealthIndicator implements ReactiveHealthIndicator {

    private final Slot slot;

    SlotHealthIndicator(Slot slot) {
        this.slot = slot;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> of(slot.index(), slot.health()));
    }

    static Health of(int index, SlotHealth health) {
        List<SlotHealth.HsmHealth> hsms = health.hsms();
        long up = hsms.stream().filter(SlotHealth.HsmHealth::isUsable).count();
        Map<String, Object> perHsm = new LinkedHashMap<>();
        for (SlotHealth.HsmHealth h : hsms) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", h.isUsable() ? "UP" : "DOWN");
            d.put("connected", h.connected());
            d.put("breaker", h.breaker().name());
            d.put("inFlight", h.inFlight());
            perHsm.put(h.address().toString(), d);
        }
        Health.Builder b = health.isAvailable() ? Health.up() : Health.down();
        return b.withDetail("slotIndex", index)
                .withDetail("hsmsUp", up)
                .withDetail("hsmsDown", hsms.size() - up)
                .withDetail("pendingRequests", health.pendingRequests())
                .withDetail("hsms", perHsm)
                .build();
    }
}
