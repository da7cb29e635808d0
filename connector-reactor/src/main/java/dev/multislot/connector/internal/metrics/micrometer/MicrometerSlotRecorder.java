package dev.multislot.connector.internal.metrics.micrometer;

import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.CONNECTIONS;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.HSM_REQUESTS;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.IN_FLIGHT;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.OBSERVATION;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.PENDING;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.REQUESTS;
import static dev.multislot.connector.internal.metrics.micrometer.MicrometerRecorder.RETRIES;

import dev.multislot.api.HsmAddress;
import dev.multislot.connector.MetricsOptions;
import dev.multislot.connector.internal.metrics.Operations;
import dev.multislot.connector.internal.metrics.Outcome;
import dev.multislot.connector.internal.metrics.RetryReason;
import dev.multislot.connector.internal.metrics.SlotRecorder;
import dev.multislot.connector.internal.slot.HsmNode;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.protocol.Opcode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;
import reactor.core.CoreSubscriber;

/**
 * One slot's meters and observations. Timers are registered the first time a combination of
 * tags occurs and kept in arrays indexed by operation and outcome, so that recording looks up
 * no tags and builds none. Gauges read the slot and its HSMs when the registry reads them.
 */
final class MicrometerSlotRecorder implements SlotRecorder {

    private static final int OUTCOMES = Outcome.all().length;

    private final SlotImpl slot;
    private final String slotTag;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final MetricsOptions options;
    private final AtomicReferenceArray<Timer> requestTimers;
    private final Counter busyRetries;
    private final Counter failovers;
    private final Gauge pending;
    // Written by the registry thread and drain callbacks, read by attempts: a concurrent map.
    private final Map<HsmAddress, HsmMeters> hsms = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MicrometerSlotRecorder(SlotImpl slot, MeterRegistry meters, ObservationRegistry observations, MetricsOptions options) {
        this.slot = slot;
        this.slotTag = slot.clusterId().value();
        this.meters = meters;
        this.observations = observations;
        this.options = options;
        this.requestTimers = new AtomicReferenceArray<>(Opcode.values().length * OUTCOMES);
        if (meters != null) {
            busyRetries = retries(RetryReason.BUSY);
            failovers = retries(RetryReason.FAILOVER);
            pending = Gauge.builder(PENDING, slot, SlotImpl::pendingRequests).tag("slot", slotTag)
                    .description("Requests the slot has admitted and not yet ended").strongReference(true).register(meters);
        } else {
            busyRetries = null;
            failovers = null;
            pending = null;
        }
    }

    private Counter retries(RetryReason reason) {
        return Counter.builder(RETRIES).tag("slot", slotTag).tag("reason", reason.tag())
                .description("Requests tried again: after a busy answer, or on another HSM").register(meters);
    }

    // ------------------------------------------------------------------ request path

    @Override
    public Object requestStarted(Opcode operation, CoreSubscriber<?> subscriber) {
        if (observations == null) {
            return null;
        }
        Observation parent = subscriber.currentContext().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        Observation observation = Observation.createNotStarted(OBSERVATION, observations)
                .contextualName("multislot " + Operations.tag(operation))
                .lowCardinalityKeyValue("slot", slotTag)
                .lowCardinalityKeyValue("operation", Operations.tag(operation));
        if (parent != null) {
            observation.parentObservation(parent);
        }
        return observation.start();
    }

    @Override
    public void requestEnded(Object token, Opcode operation, long nanos, HsmAddress hsm, Throwable error) {
        Outcome outcome = Outcome.of(error);
        if (meters != null && !closed) {
            requestTimer(operation, outcome).record(nanos, TimeUnit.NANOSECONDS);
        }
        if (token instanceof Observation observation) {
            observation.lowCardinalityKeyValue("outcome", outcome.tag());
            if (hsm != null) {
                observation.highCardinalityKeyValue("hsm", hsm.toString());
            }
            if (error != null && error != Outcome.CANCELLED_SIGNAL) {
                observation.error(error);
            }
            observation.stop();
        }
    }

    private Timer requestTimer(Opcode operation, Outcome outcome) {
        int i = operation.ordinal() * OUTCOMES + outcome.ordinal();
        Timer t = requestTimers.get(i);
        if (t == null) {
            // Registering twice returns the same timer: a race here costs a lookup, nothing more.
            t = timer(Timer.builder(REQUESTS).tag("slot", slotTag).tag("operation", Operations.tag(operation))
                    .tag("outcome", outcome.tag()).description("Requests of the slot, from subscription to end"));
            requestTimers.set(i, t);
        }
        return t;
    }

    private Timer timer(Timer.Builder builder) {
        if (options.percentileHistogram()) {
            builder.publishPercentileHistogram();
        }
        double[] percentiles = options.percentiles();
        if (percentiles.length > 0) {
            builder.publishPercentiles(percentiles);
        }
        return builder.register(meters);
    }

    @Override
    public void attemptEnded(HsmAddress hsm, long nanos, Outcome outcome) {
        if (meters == null || !options.hsmTimers()) {
            return;
        }
        HsmMeters m = hsms.get(hsm);
        if (m != null && !m.removed) {
            m.attemptTimer(outcome).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void retried(RetryReason reason) {
        if (meters != null) {
            (reason == RetryReason.BUSY ? busyRetries : failovers).increment();
        }
    }

    // ------------------------------------------------------------------ membership

    @Override
    public synchronized void hsmAdded(HsmAddress hsm) {
        if (meters == null || closed) {
            return;
        }
        HsmMeters m = hsms.get(hsm);
        if (m == null) {
            hsms.put(hsm, new HsmMeters(hsm));
        } else {
            m.nodes++;
        }
    }

    @Override
    public synchronized void hsmRemoved(HsmAddress hsm) {
        HsmMeters m = hsms.get(hsm);
        if (m != null && --m.nodes == 0) {
            hsms.remove(hsm);
            m.remove();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (meters == null) {
            return;
        }
        for (HsmMeters m : hsms.values()) {
            m.remove();
        }
        hsms.clear();
        meters.remove(busyRetries);
        meters.remove(failovers);
        meters.remove(pending);
        for (int i = 0; i < requestTimers.length(); i++) {
            Timer t = requestTimers.getAndSet(i, null);
            if (t != null) {
                meters.remove(t);
            }
        }
    }

    /** The meters of one HSM address in this slot; {@code nodes} is guarded by the slot recorder. */
    private final class HsmMeters {
        private final String hsmTag;
        private final AtomicReferenceArray<Timer> attemptTimers = new AtomicReferenceArray<>(OUTCOMES);
        private final List<Meter> gauges = new ArrayList<>(3);
        private int nodes = 1;
        private volatile boolean removed;

        HsmMeters(HsmAddress address) {
            this.hsmTag = address.toString();
            gauges.add(gauge(IN_FLIGHT, null, address, HsmNode::inFlight, "Requests sent to the HSM and not yet answered"));
            gauges.add(gauge(CONNECTIONS, "ready", address, HsmNode::readyConnectionCount,
                    "Connections to the HSM, by state: ready (taking requests) or opening (TCP, TLS, HELLO, login)"));
            gauges.add(gauge(CONNECTIONS, "opening", address, HsmNode::openingConnectionCount,
                    "Connections to the HSM, by state: ready (taking requests) or opening (TCP, TLS, HELLO, login)"));
        }

        private Meter gauge(String name, String state, HsmAddress address, ToDoubleFunction<HsmNode> value, String description) {
            Gauge.Builder<SlotImpl> b = Gauge.builder(name, slot, s -> sum(s, address, value))
                    .tag("slot", slotTag).tag("hsm", hsmTag).description(description).strongReference(true);
            if (state != null) {
                b.tag("state", state);
            }
            return b.register(meters);
        }

        Timer attemptTimer(Outcome outcome) {
            Timer t = attemptTimers.get(outcome.ordinal());
            if (t == null) {
                t = timer(Timer.builder(HSM_REQUESTS).tag("slot", slotTag).tag("hsm", hsmTag).tag("outcome", outcome.tag())
                        .description("Attempts on one HSM, from sending to the answer or the attempt's failure"));
                attemptTimers.set(outcome.ordinal(), t);
            }
            return t;
        }

        void remove() {
            removed = true;
            for (Meter g : gauges) {
                meters.remove(g);
            }
            for (int i = 0; i < attemptTimers.length(); i++) {
                Timer t = attemptTimers.getAndSet(i, null);
                if (t != null) {
                    meters.remove(t);
                }
            }
        }
    }

    /** A slot may briefly hold two nodes of one address (new TLS files): the gauge shows both. */
    private static double sum(SlotImpl slot, HsmAddress address, ToDoubleFunction<HsmNode> value) {
        double total = 0;
        for (HsmNode n : slot.nodes()) {
            if (n.address().equals(address)) {
                total += value.applyAsDouble(n);
            }
        }
        return total;
    }
}
