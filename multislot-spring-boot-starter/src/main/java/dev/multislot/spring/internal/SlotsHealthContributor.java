package dev.multislot.spring.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;

/**
 * {@code multislot} in the health endpoint: one entry per slot in force, named by cluster id. Slots
 * are read at each call, so clusters added or removed by a config reload appear and disappear.
 */
public final class SlotsHealthContributor implements CompositeReactiveHealthContributor {

    private final HsmConnector connector;

    public SlotsHealthContributor(HsmConnector connector) {
        this.connector = connector;
    }

    @Override
    public ReactiveHealthContributor getContributor(String name) {
        ClusterId id;
        try {
            id = ClusterId.of(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return connector.slot(id).map(SlotHealthIndicator::new).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return connector.slots().stream().map(s -> new Entry(s.clusterId().value(), new SlotHealthIndicator(s)));
    }
}
