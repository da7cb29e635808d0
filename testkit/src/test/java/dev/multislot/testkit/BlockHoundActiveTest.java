package dev.multislot.testkit;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves BlockHound runs in this module's tests, so a blocking call on a reactive thread fails a test. */
class BlockHoundActiveTest {

    @Test
    void blockingOnANonBlockingThreadIsReported() {
        StepVerifier.create(Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                }).subscribeOn(Schedulers.parallel()))
                .expectErrorMatches(e -> e.getClass().getName().equals("reactor.blockhound.BlockingOperationError"))
                .verify(Duration.ofSeconds(5));
    }
}
