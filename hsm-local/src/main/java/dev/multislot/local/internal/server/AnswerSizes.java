package dev.multislot.local.internal.server;

import dev.multislot.protocol.Request;

/**
 * How large a request's answer will be, at most about, known before it runs: what a connection's
 * answer budget is charged when the request starts. Only RANDOM, ENCRYPT and DECRYPT answers grow
 * with the request; the others are small.
 */
final class AnswerSizes {

    /** Frame header, status and length fields. */
    private static final int OVERHEAD = 64;

    private AnswerSizes() {
    }

    static int estimate(Request r) {
        long size;
        if (r instanceof Request.Random random) {
            size = Math.max(0, random.length());
        } else if (r instanceof Request.Encrypt encrypt) {
            size = (long) encrypt.plaintext().length + 64; // IV and tag
        } else if (r instanceof Request.Decrypt decrypt) {
            size = decrypt.ciphertext().length;
        } else if (r instanceof Request.FindKeys) {
            size = 16 * 1024;
        } else if (r instanceof Request.GetPublicKey || r instanceof Request.GetKey) {
            size = 4 * 1024;
        } else {
            size = 1024; // signatures (RSA-4096 is 512 bytes), key handles, booleans
        }
        return (int) Math.min(Integer.MAX_VALUE - OVERHEAD, size) + OVERHEAD;
    }
}
