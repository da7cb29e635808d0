package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One sweep per connection ends timed-out requests, never early, and keeps track of deadlines that appear meanwhile. */
class DeadlineSweepTest {

    @Test
    void aDeadlineAddedDuringASweepIsSweptInTimeNotAtTheNextOldDeadline() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(16);
        try {
            TestRequest early = hsm.send(new Request.Random(1), Duration.ofSeconds(1));
            TestRequest late = hsm.send(new Request.Random(1), Duration.ofSeconds(10));
            List<TestRequest> startedDuringSweep = new ArrayList<>();
            // Ending the first request starts another one with a deadline before the second's.
            early.onSignal = () -> startedDuringSweep.add(hsm.send(new Request.Random(1), Duration.ofMillis(100)));

            hsm.advance(Duration.ofMillis(999));
            assertThat(early.signals()).as("never early").isZero();
            hsm.advance(Duration.ofMillis(100));
            assertThat(early.failures).hasSize(1);
            assertThat(startedDuringSweep).hasSize(1);
            TestRequest added = startedDuringSweep.get(0);

            hsm.advance(Duration.ofMillis(150));
            assertThat(added.failures).as("swept about 100 ms after it started, not at the 10 s deadline")
                    .singleElement().isInstanceOfSatisfying(AttemptFailure.class,
                            f -> assertThat(f.kind()).isEqualTo(AttemptFailure.Kind.TIMEOUT));
            assertThat(late.signals()).isZero();

            hsm.advance(Duration.ofSeconds(9));
            assertThat(late.failures).hasSize(1);
            assertThat(hsm.connection.occupiedPlaces().block()).isZero();
        } finally {
            hsm.close();
        }
    }

    @Test
    void aRequestWaitingForRoomTimesOutAsNeverSent() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(1);
        try {
            TestRequest onWire = hsm.send(new Request.Random(1), Duration.ofSeconds(5));
            TestRequest waiting = hsm.send(new Request.Random(1), Duration.ofSeconds(1));
            assertThat(hsm.written()).as("the HSM takes one at a time").hasSize(1);
            hsm.advance(Duration.ofMillis(1100));
            assertThat(waiting.failures).singleElement().isInstanceOfSatisfying(AttemptFailure.class,
                    f -> assertThat(f.mayHaveReachedHsm()).isFalse());
            assertThat(onWire.signals()).isZero();
        } finally {
            hsm.close();
        }
    }
}
