package dev.multislot.local;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Proves that BlockHound is installed in this module's test JVM: without it the other tests prove nothing about blocking. */
class BlockHoundProofTest {

    @Test
    void sleepingOnAReactorThreadIsCaught() {
        Mono<Long> blocking = Mono.delay(Duration.ofMillis(1)).doOnNext(tick -> {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StepVerifier.create(blocking)
                .expectErrorMatches(e -> e instanceof BlockingOperationError
                        && e.getMessage().contains("java.lang.Thread.sleep"))
                .verify(Duration.ofSeconds(10));
    }
}
