package dev.multislot.connector;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@link LoadBalancingPolicy#zoneAware(String)}: the caller's availability zone first, every
 * zone when none of its HSMs can take the request. Stateless: the candidates a slot offers are
 * already the healthy ones, so "none healthy in my zone" is "none of them in my zone".
 */
final class ZoneAwarePolicy implements LoadBalancingPolicy {

    private final String localZone;
    private final Predicate<HsmCandidate> local;

    ZoneAwarePolicy(String localZone) {
        Objects.requireNonNull(localZone, "localZone");
        if (localZone.isBlank()) {
            throw new IllegalArgumentException("the local availability zone must not be blank");
        }
        this.localZone = localZone;
        this.local = hsm -> hsm.availabilityZone().map(localZone::equals).orElse(false);
    }

    @Override
    public int pick(List<? extends HsmCandidate> candidates) {
        int inZone = 0;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            if (local.test(candidates.get(i))) {
                inZone++;
            }
        }
        if (inZone == 0) {
            return PowerOfTwoChoices.INSTANCE.pick(candidates);
        }
        return PowerOfTwoChoices.pickAmong(candidates, local, inZone);
    }

    @Override
    public String toString() {
        return "ZoneAware[" + localZone + "]";
    }
}
