package dev.multislot.connector.internal.slot;

import dev.multislot.connector.HsmCandidate;
import dev.multislot.connector.LoadBalancingPolicy;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The default {@link LoadBalancingPolicy}: of two distinct random candidates, the one with fewer requests in flight. */
public final class PowerOfTwoChoices implements LoadBalancingPolicy {

    public static final PowerOfTwoChoices INSTANCE = new PowerOfTwoChoices();

    private PowerOfTwoChoices() {
    }

    @Override
    public int pick(List<? extends HsmCandidate> candidates) {
        int n = candidates.size();
        if (n <= 1) {
            return 0;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        return candidates.get(a).inFlight() <= candidates.get(b).inFlight() ? a : b;
    }

    @Override
    public String toString() {
        return "PowerOfTwoChoices";
    }
}
