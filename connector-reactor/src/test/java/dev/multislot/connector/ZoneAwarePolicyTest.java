package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The zone-aware policy's choices, on candidates whose zone and load the test sets. */
class ZoneAwarePolicyTest {

    private record Candidate(HsmAddress address, Optional<String> availabilityZone, int inFlight) implements HsmCandidate {
        @Override
        public ClusterId clusterId() {
            return ClusterId.of("cluster-zones");
        }
    }

    private static Candidate hsm(int i, String zone, int inFlight) {
        return new Candidate(new HsmAddress("127.0.0." + i, 2223), Optional.ofNullable(zone), inFlight);
    }

    @Test
    void onlyHsmsOfTheLocalZoneAreChosenWhileAnyIsACandidate() {
        LoadBalancingPolicy policy = LoadBalancingPolicy.zoneAware("eu-west-1b");
        List<Candidate> candidates = List.of(hsm(1, "eu-west-1a", 0), hsm(2, "eu-west-1b", 9), hsm(3, null, 0),
                hsm(4, "eu-west-1b", 3), hsm(5, "eu-west-1c", 0));
        int[] chosen = new int[candidates.size()];
        for (int i = 0; i < 2000; i++) {
            chosen[policy.pick(candidates)]++;
        }
        assertThat(chosen[0] + chosen[2] + chosen[4]).as("HSMs of other or unknown zones").isZero();
        // Power of two choices between the two local HSMs always takes the less loaded one.
        assertThat(chosen[3]).isEqualTo(2000);
    }

    @Test
    void withNoLocalCandidateEveryZoneIsUsedByLoad() {
        LoadBalancingPolicy policy = LoadBalancingPolicy.zoneAware("eu-west-1b");
        List<Candidate> candidates = List.of(hsm(1, "eu-west-1a", 5), hsm(2, null, 0), hsm(3, "eu-west-1c", 5));
        int[] chosen = new int[candidates.size()];
        for (int i = 0; i < 3000; i++) {
            chosen[policy.pick(candidates)]++;
        }
        assertThat(chosen).as("every candidate chosen some of the time").doesNotContain(0);
        assertThat(chosen[1]).as("the least loaded wins every pair it is in").isGreaterThan(chosen[0]).isGreaterThan(chosen[2]);
    }

    @Test
    void aSingleLocalCandidateIsAlwaysChosen() {
        LoadBalancingPolicy policy = LoadBalancingPolicy.zoneAware("z");
        List<Candidate> candidates = List.of(hsm(1, "y", 0), hsm(2, "z", 100), hsm(3, "y", 0));
        for (int i = 0; i < 100; i++) {
            assertThat(policy.pick(candidates)).isEqualTo(1);
        }
    }

    @Test
    void aBlankZoneIsRefused() {
        assertThatThrownBy(() -> LoadBalancingPolicy.zoneAware(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone");
    }
}
