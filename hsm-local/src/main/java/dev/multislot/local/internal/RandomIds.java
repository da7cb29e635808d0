package dev.multislot.local.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers in the shapes CloudHSM gives them: {@code cluster-} or {@code hsm-} and 11
 * characters of {@code [2-7a-z]} (the API's patterns are {@code cluster-[2-7a-zA-Z]{11,16}} and
 * {@code hsm-[2-7a-zA-Z]{11,16}}; real ids are lower case). Not secrets.
 */
public final class RandomIds {

    /** The characters of the API's id patterns that real ids use: a-z and 2-7. */
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** The length of the part after the prefix, as in {@code cluster-jxhlf7644ne}. */
    public static final int ID_LENGTH = 11;

    private RandomIds() {
    }

    /** A cluster id matching {@code cluster-[2-7a-zA-Z]{11,16}}. */
    public static String clusterId() {
        return "cluster-" + of(ID_ALPHABET, ID_LENGTH);
    }

    /** An HSM id matching {@code hsm-[2-7a-zA-Z]{11,16}}. */
    public static String hsmId() {
        return "hsm-" + of(ID_ALPHABET, ID_LENGTH);
    }

    /** {@code length} random lowercase letters and digits. */
    public static String lowercase(int length) {
        return of(ALPHABET, length);
    }

    private static String of(char[] alphabet, int length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(c);
    }
}
