package dev.multislot.bench.internal;

/**
 * How a batch of operations and a number of requests in flight are shared among connections:
 * {@code min(connections, inFlight)} of them take part, each with an equal share (give or take
 * one) of the in-flight requests and a share of the operations proportional to it, so that all
 * of them finish at about the same time.
 */
public final class Distribution {

    private final int[] windows;
    private final int[] quotas;

    private Distribution(int[] windows, int[] quotas) {
        this.windows = windows;
        this.quotas = quotas;
    }

    /**
     * @throws IllegalArgumentException if a count is below 1 or there are fewer operations than
     *     requests in flight
     */
    public static Distribution of(int connections, int inFlight, int operations) {
        if (connections < 1 || inFlight < 1 || operations < inFlight) {
            throw new IllegalArgumentException("need connections >= 1, inFlight >= 1, operations >= inFlight; got "
                    + connections + ", " + inFlight + ", " + operations);
        }
        int active = Math.min(connections, inFlight);
        int[] windows = new int[active];
        int[] quotas = new int[active];
        int assigned = 0;
        for (int i = 0; i < active; i++) {
            windows[i] = inFlight / active + (i < inFlight % active ? 1 : 0);
            quotas[i] = (int) ((long) operations * windows[i] / inFlight);
            assigned += quotas[i];
        }
        quotas[0] += operations - assigned;
        return new Distribution(windows, quotas);
    }

    /** How many connections take part. */
    public int active() {
        return windows.length;
    }

    /** Requests kept in flight on connection {@code i}. */
    public int window(int i) {
        return windows[i];
    }

    /** Operations connection {@code i} performs. */
    public int quota(int i) {
        return quotas[i];
    }
}
