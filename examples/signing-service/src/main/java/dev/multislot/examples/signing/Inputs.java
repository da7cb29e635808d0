package dev.multislot.examples.signing;

import dev.multislot.api.ClusterId;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/** Parsing of path, query and body values; each failure names its field and what was expected. */
final class Inputs {

    private static final int MAX_QUOTED = 100;

    private Inputs() {
    }

    static ClusterId clusterId(String value) {
        try {
            return ClusterId.of(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("clusterId", "'" + quote(value) + "' is not a cluster id");
        }
    }

    static long handle(String value) {
        try {
            long handle = Long.parseLong(value);
            if (handle > 0) {
                return handle;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("handle", "'" + quote(value) + "' is not a key handle (a positive integer)");
    }

    static KeyType keyType(String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("type", "is required; expected one of " + Arrays.toString(KeyType.values()));
        }
        try {
            return KeyType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("type", "'" + quote(value) + "' is not a key type; expected one of "
                    + Arrays.toString(KeyType.values()));
        }
    }

    static String label(String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("label", "is required and must not be blank");
        }
        return value;
    }

    static SignatureAlgorithm algorithm(String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("algorithm", "is required; expected one of "
                    + Arrays.toString(SignatureAlgorithm.values()));
        }
        try {
            return SignatureAlgorithm.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("algorithm", "'" + quote(value) + "' is not a signature algorithm; expected one of "
                    + Arrays.toString(SignatureAlgorithm.values()));
        }
    }

    /** The algorithm must fit the key: ECDSA for EC keys, RSA for RSA keys, HMAC for HMAC keys. */
    static void fits(SignatureAlgorithm algorithm, KeyRef key) {
        if (!algorithm.accepts(key.type())) {
            throw new BadRequestException("algorithm", algorithm + " does not work with key " + key.handle()
                    + " of type " + key.type() + "; it takes " + algorithm.keyTypes());
        }
    }

    static byte[] base64(String field, String value) {
        if (value == null) {
            throw new BadRequestException(field, "is required (base64)");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, "is not valid base64");
        }
    }

    static String quote(String value) {
        return value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "...";
    }
}
