package dev.multislot.cli.soak;

import dev.multislot.api.ClusterId;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.api.errors.SlotRemovedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Every request of the soak, from subscription to its end. Each request is subscribed by a
 * {@link Tracker} straight on the connector's {@code Mono} (no operator in between that could hide
 * a second signal): a value, an error or an empty completion ends it; any signal after that end
 * counts as doubled; a request still open when the soak is over is lost.
 */
final class RequestLedger {

    private static final int SAMPLES = 8;

    private final Map<Long, ClusterId> open = new ConcurrentHashMap<>();
    private final Set<ClusterId> retired = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong expectedFailures = new AtomicLong();
    private final AtomicLong unexpectedFailures = new AtomicLong();
    private final AtomicLong doubled = new AtomicLong();
    private final List<String> unexpectedSamples = new ArrayList<>();

    /** Failures on this cluster's slot are expected from now on, if they say the slot is gone. */
    void retire(ClusterId clusterId) {
        retired.add(clusterId);
    }

    /** Subscribes to {@code request}; {@code next} runs once, when the request first ends. */
    void track(ClusterId clusterId, Mono<?> request, Runnable next) {
        long id = ids.incrementAndGet();
        open.put(id, clusterId);
        request.subscribe(new Tracker(id, clusterId, next));
    }

    /** Putting a slot in service (login, key generation) failed: counted as an unexpected failure. */
    void setupFailed(ClusterId clusterId, Throwable e) {
        unexpectedFailures.incrementAndGet();
        sample(clusterId + ": could not put the slot in service: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    long requests() {
        return ids.get();
    }

    long open() {
        return open.size();
    }

    long succeeded() {
        return succeeded.get();
    }

    long expectedFailures() {
        return expectedFailures.get();
    }

    long unexpectedFailures() {
        return unexpectedFailures.get();
    }

    long doubled() {
        return doubled.get();
    }

    synchronized List<String> unexpectedSamples() {
        return List.copyOf(unexpectedSamples);
    }

    private synchronized void sample(String line) {
        if (unexpectedSamples.size() < SAMPLES) {
            unexpectedSamples.add(line);
        }
    }

    private final class Tracker implements CoreSubscriber<Object> {

        private final long id;
        private final ClusterId clusterId;
        private final Runnable next;
        private boolean ended;

        Tracker(long id, ClusterId clusterId, Runnable next) {
            this.id = id;
            this.clusterId = clusterId;
            this.next = next;
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object value) {
            if (end()) {
                succeeded.incrementAndGet();
                next.run();
            }
        }

        @Override
        public void onError(Throwable e) {
            if (end()) {
                boolean expected = retired.contains(clusterId)
                        && (e instanceof SlotRemovedException || e instanceof SlotNotFoundException);
                if (expected) {
                    expectedFailures.incrementAndGet();
                } else {
                    unexpectedFailures.incrementAndGet();
                    sample(clusterId + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                next.run();
            }
        }

        @Override
        public void onComplete() {
            // After a value this is the Mono's normal end; on its own it ends the request empty.
            if (!ended) {
                end();
                unexpectedFailures.incrementAndGet();
                sample(clusterId + ": completed without a value");
                next.run();
            }
        }

        /** True for the first end; a later one is a doubled request. Signals are serial per subscriber. */
        private boolean end() {
            if (ended) {
                doubled.incrementAndGet();
                return false;
            }
            ended = true;
            open.remove(id);
            return true;
        }
    }
}
