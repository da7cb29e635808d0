package dev.multislot.local.internal.pkcs11;

import java.util.Arrays;
import java.util.List;

/**
 * The protocol's key handle kept in {@code CKA_ID}. Keys made through the server get an 8-byte
 * big-endian id; keys made by other tools (pkcs11-tool {@code --id 01}) often have a shorter one,
 * read as the same unsigned big-endian number. Ids longer than 8 bytes, or worth 0 or more than
 * {@code Long.MAX_VALUE}, have no handle: such keys are not visible through the protocol.
 */
final class KeyIds {

    private KeyIds() {
    }

    /** The handle an id stands for, or 0 when it stands for none. */
    static long handleOf(byte[] id) {
        if (id == null || id.length == 0 || id.length > 8) {
            return 0;
        }
        long v = 0;
        for (byte b : id) {
            v = (v << 8) | (b & 0xFF);
        }
        return v > 0 ? v : 0;
    }

    /** The ids that stand for this handle: the 8-byte form, and the shortest form if shorter. */
    static List<byte[]> idsOf(long handle) {
        byte[] full = new byte[8];
        for (int i = 0; i < 8; i++) {
            full[i] = (byte) (handle >>> (56 - 8 * i));
        }
        int zeros = 0;
        while (zeros < 7 && full[zeros] == 0) {
            zeros++;
        }
        return zeros == 0 ? List.of(full) : List.of(full, Arrays.copyOfRange(full, zeros, 8));
    }
}
