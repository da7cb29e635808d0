package dev.multislot.cli.demo;

import dev.multislot.api.SlotEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every connector event the demo sees: printed as it happens and kept for the summary. Thread-safe.
 */
final class EventLog {

    private final Instant start;
    private final PrintStream out;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final List<SlotEvent> raw = new ArrayList<>();

    EventLog(Instant start, PrintStream out) {
        this.start = start;
        this.out = out;
    }

    void record(SlotEvent event) {
        Map<String, Object> json = toJson(event);
        synchronized (this) {
            events.add(json);
            raw.add(event);
            notifyAll();
        }
        out.printf("  [%5.1fs] event %s%n", Duration.between(start, event.at()).toMillis() / 1000.0, describe(json));
    }

    /** Marks a step of the demo's script in the output. */
    void step(String what) {
        out.printf("  [%5.1fs] >>> %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, what);
    }

    synchronized List<Map<String, Object>> all() {
        return List.copyOf(events);
    }

    synchronized boolean seen(Predicate<SlotEvent> match) {
        return raw.stream().anyMatch(match);
    }

    /** Waits (on the calling, non-reactive thread) until an event matches or the deadline passes. */
    synchronized boolean await(Predicate<SlotEvent> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (raw.stream().noneMatch(match)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private static String describe(Map<String, Object> json) {
        StringBuilder sb = new StringBuilder(String.valueOf(json.get("type")));
        json.forEach((k, v) -> {
            if (!k.equals("type")) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    static Map<String, Object> toJson(SlotEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e instanceof SlotEvent.SlotAdded a) {
            m.put("type", "slot_added");
            m.put("cluster_id", a.clusterId().value());
            m.put("slot_id", a.slotId().value());
            m.put("index", a.index());
            m.put("hsms", a.hsms().stream().map(Object::toString).toList());
        } else if (e instanceof SlotEvent.SlotDraining d) {
            m.put("type", "slot_draining");
            m.put("cluster_id", d.clusterId().value());
            m.put("in_flight", d.inFlight());
        } else if (e instanceof SlotEvent.SlotRemoved r) {
            m.put("type", "slot_removed");
            m.put("cluster_id", r.clusterId().value());
            m.put("abandoned", r.abandoned());
        } else if (e instanceof SlotEvent.SlotChanged c) {
            m.put("type", "slot_changed");
            m.put("cluster_id", c.clusterId().value());
            m.put("hsms", c.hsms().stream().map(Object::toString).toList());
        } else if (e instanceof SlotEvent.HsmAdded a) {
            m.put("type", "hsm_added");
            m.put("cluster_id", a.clusterId().value());
            m.put("hsm", a.hsm().toString());
        } else if (e instanceof SlotEvent.HsmRemoved r) {
            m.put("type", "hsm_removed");
            m.put("cluster_id", r.clusterId().value());
            m.put("hsm", r.hsm().toString());
        } else if (e instanceof SlotEvent.HsmUp u) {
            m.put("type", "hsm_up");
            m.put("cluster_id", u.clusterId().value());
            m.put("hsm", u.hsm().toString());
        } else if (e instanceof SlotEvent.HsmDown d) {
            m.put("type", "hsm_down");
            m.put("cluster_id", d.clusterId().value());
            m.put("hsm", d.hsm().toString());
            m.put("reason", d.reason());
        } else if (e instanceof SlotEvent.BreakerStateChanged b) {
            m.put("type", "breaker_state_changed");
            m.put("cluster_id", b.clusterId().value());
            m.put("hsm", b.hsm().toString());
            m.put("from", b.from().name());
            m.put("to", b.to().name());
        } else if (e instanceof SlotEvent.ConfigRejected c) {
            m.put("type", "config_rejected");
            m.put("cluster_id", null);
            m.put("source", c.source());
            m.put("problem", c.problem());
        } else if (e instanceof SlotEvent.TopologyRefreshFailed t) {
            m.put("type", "topology_refresh_failed");
            m.put("cluster_id", t.clusterId().value());
            m.put("problem", t.problem());
        } else {
            m.put("type", e.getClass().getSimpleName());
        }
        return m;
    }
}
