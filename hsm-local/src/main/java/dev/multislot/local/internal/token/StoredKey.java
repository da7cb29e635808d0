package dev.multislot.local.internal.token;

import dev.multislot.protocol.Response;
import dev.multislot.protocol.WireKeyType;
import java.security.KeyPair;
import javax.crypto.SecretKey;

/**
 * One key object: a secret key or a key pair under one handle. Immutable. {@code toString} shows
 * the handle, type and label, never key material.
 */
final class StoredKey {

    private final long handle;
    private final WireKeyType type;
    private final String label;
    private final SecretKey secret;
    private final KeyPair pair;

    private StoredKey(long handle, WireKeyType type, String label, SecretKey secret, KeyPair pair) {
        this.handle = handle;
        this.type = type;
        this.label = label;
        this.secret = secret;
        this.pair = pair;
    }

    static StoredKey secret(long handle, WireKeyType type, String label, SecretKey key) {
        return new StoredKey(handle, type, label, key, null);
    }

    static StoredKey pair(long handle, WireKeyType type, String label, KeyPair pair) {
        return new StoredKey(handle, type, label, null, pair);
    }

    long handle() {
        return handle;
    }

    WireKeyType type() {
        return type;
    }

    String label() {
        return label;
    }

    /** The secret key, or null for a key pair. */
    SecretKey secret() {
        return secret;
    }

    /** The key pair, or null for a secret key. */
    KeyPair pair() {
        return pair;
    }

    Response.KeyInfo info() {
        return new Response.KeyInfo(handle, type, label);
    }

    @Override
    public String toString() {
        return "StoredKey[handle=" + handle + ", type=" + type + ", label=" + label + "]";
    }
}
