package dev.multislot.local.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the style of CloudHSM's ({@code cluster-abc…}, {@code hsm-abc…}). Not secrets. */
public final class RandomIds {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private RandomIds() {
    }

    /** {@code length} random lowercase letters and digits. */
    public static String lowercase(int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }
}
