package dev.multislot.local.internal.pkcs11;

import dev.multislot.protocol.Response;
import dev.multislot.protocol.WireKeyType;

/**
 * One key as the protocol sees it, and where it is on the token: the private or secret key
 * object and, for a key pair, the public key object (0 when the token has none). {@code handle}
 * is the protocol's handle, kept on the token as {@code CKA_ID}, so it survives sessions and
 * restarts; the object handles are the module's and may change between runs.
 */
record Pkcs11Key(long handle, WireKeyType type, String label, long keyObject, long publicObject) {

    boolean isPair() {
        return switch (type) {
            case EC_P256, EC_P384, RSA_2048, RSA_3072 -> true;
            case AES_256, HMAC_SHA256 -> false;
        };
    }

    Response.KeyInfo info() {
        return new Response.KeyInfo(handle, type, label);
    }
}
