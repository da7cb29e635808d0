package dev.multislot.local.faults;

/** Which way bytes travel through a {@link FaultProxy}. */
public enum Direction {
    /** From the client to the HSM: requests. */
    TO_HSM,
    /** From the HSM to the client: responses. */
    TO_CLIENT
}
