package dev.multislot.connector.internal.metrics;

import dev.multislot.protocol.Opcode;
import java.util.Locale;

/** The {@code operation} tag of an opcode: {@code sign}, {@code public_key}, ... */
public final class Operations {

    private static final String[] TAGS = new String[Opcode.values().length];

    static {
        for (Opcode op : Opcode.values()) {
            TAGS[op.ordinal()] = switch (op) {
                case GET_PUBLIC_KEY -> "public_key";
                case GET_KEY -> "get_key";
                default -> op.name().toLowerCase(Locale.ROOT);
            };
        }
    }

    private Operations() {
    }

    public static String tag(Opcode op) {
        return TAGS[op.ordinal()];
    }
}
