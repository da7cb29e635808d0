package dev.multislot.bench.internal;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Request;

/** The operations every client is measured on. */
public enum BenchOp {

    /** 32 random bytes: the cheapest request the public API offers, so the client's own cost shows. */
    RANDOM,

    /** ECDSA P-256 with SHA-256 over a 32-byte message: the HSM's CPU is the limit. */
    SIGN;

    /** Bytes of randomness asked for by {@link #RANDOM}. */
    public static final int RANDOM_LENGTH = 32;

    /** Bytes of the message {@link #SIGN} signs. */
    public static final int MESSAGE_LENGTH = 32;

    /** The wire request of this operation; immutable, so one instance serves every send. */
    public Request request(long keyHandle, byte[] message) {
        return this == RANDOM
                ? new Request.Random(RANDOM_LENGTH)
                : new Request.Sign(keyHandle, Mechanism.ECDSA_SHA256, message);
    }
}
