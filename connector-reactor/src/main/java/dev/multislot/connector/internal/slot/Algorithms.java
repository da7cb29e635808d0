package dev.multislot.connector.internal.slot;

import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.WireKeyType;

/** Maps the API's algorithms and key types to the protocol's, and back. */
final class Algorithms {

    private Algorithms() {
    }

    static Mechanism mechanism(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case ECDSA_SHA256 -> Mechanism.ECDSA_SHA256;
            case ECDSA_SHA384 -> Mechanism.ECDSA_SHA384;
            case RSA_PSS_SHA256 -> Mechanism.RSA_PSS_SHA256;
            case RSA_PKCS1_SHA256 -> Mechanism.RSA_PKCS1_SHA256;
            case HMAC_SHA256 -> Mechanism.HMAC_SHA256;
        };
    }

    static Mechanism mechanism(CipherAlgorithm algorithm) {
        return switch (algorithm) {
            case AES_GCM -> Mechanism.AES_GCM;
        };
    }

    static WireKeyType wire(KeyType type) {
        return switch (type) {
            case AES_256 -> WireKeyType.AES_256;
            case HMAC_SHA256 -> WireKeyType.HMAC_SHA256;
            case EC_P256 -> WireKeyType.EC_P256;
            case EC_P384 -> WireKeyType.EC_P384;
            case RSA_2048 -> WireKeyType.RSA_2048;
            case RSA_3072 -> WireKeyType.RSA_3072;
        };
    }

    static KeyType api(WireKeyType type) {
        return switch (type) {
            case AES_256 -> KeyType.AES_256;
            case HMAC_SHA256 -> KeyType.HMAC_SHA256;
            case EC_P256 -> KeyType.EC_P256;
            case EC_P384 -> KeyType.EC_P384;
            case RSA_2048 -> KeyType.RSA_2048;
            case RSA_3072 -> KeyType.RSA_3072;
        };
    }

    /** The JCA key algorithm of a key pair's public half. */
    static String jcaKeyAlgorithm(KeyType type) {
        return switch (type) {
            case EC_P256, EC_P384 -> "EC";
            case RSA_2048, RSA_3072 -> "RSA";
            default -> throw new IllegalArgumentException(type + " is not a key pair");
        };
    }
}
