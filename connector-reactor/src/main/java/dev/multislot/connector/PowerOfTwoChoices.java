package dev.multislot.connector;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** The default {@link LoadBalancingPolicy}: of two distinct random candidates, the one with fewer requests in flight. */
final class PowerOfTwoChoices implements LoadBalancingPolicy {

    static final PowerOfTwoChoices INSTANCE = new PowerOfTwoChoices();

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

    /**
     * Power of two choices among the {@code matching} candidates that pass {@code filter} (at
     * least one), without allocating: two distinct random ranks among them, found by one scan.
     */
    static int pickAmong(List<? extends HsmCandidate> candidates, Predicate<HsmCandidate> filter, int matching) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int rankA = random.nextInt(matching);
        int rankB = rankA;
        if (matching > 1) {
            rankB = random.nextInt(matching - 1);
            if (rankB >= rankA) {
                rankB++;
            }
        }
        int a = -1;
        int b = -1;
        for (int i = 0, rank = 0, n = candidates.size(); i < n && (a < 0 || b < 0); i++) {
            if (filter.test(candidates.get(i))) {
                if (rank == rankA) {
                    a = i;
                }
                if (rank == rankB) {
                    b = i;
                }
                rank++;
            }
        }
        return candidates.get(a).inFlight() <= candidates.get(b).inFlight() ? a : b;
    }

    @Override
    public String toString() {
        return "PowerOfTwoChoices";
    }
}
