package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.testsupport.Await;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A breaker's metrics lock, contended on a non-blocking thread, parks without BlockHound
 * reporting it: the connector's BlockHound integration allows that one short lock.
 */
class BreakerLockContentionTest {

    @Test
    void recordingAnOutcomeWhileAnotherThreadHoldsTheWindowLockIsNotReportedAsBlocking() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("contention", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).build());
        ReentrantLock lock = windowLock(breaker);
        lock.lock();
        try {
            var recorded = Mono.fromRunnable(() -> breaker.onSuccess(1, TimeUnit.MILLISECONDS))
                    .subscribeOn(Schedulers.parallel())
                    .toFuture();
            // The parallel thread is now parked on the lock we hold (it cannot finish before we unlock).
            Await.until("the recording thread to wait for the lock", Duration.ofSeconds(5), lock::hasQueuedThreads);
            lock.unlock();
            assertThat(recorded).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    private static ReentrantLock windowLock(CircuitBreaker breaker) throws ReflectiveOperationException {
        Object metrics = breaker.getMetrics();
        Object window = field(metrics, "metrics");
        return (ReentrantLock) field(window, "lock");
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name + " in " + target.getClass());
    }
}
