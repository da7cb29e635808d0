package dev.multislot.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Signature and MAC mechanisms. The HSM hashes the data itself: callers pass the whole message.
 *
 * <p>Each algorithm works with the key types {@link #keyTypes()} lists; any other pairing is
 * rejected by the HSM with {@link dev.multislot.api.errors.MechanismInvalidException}.
 */
public enum SignatureAlgorithm {
    /** ECDSA over SHA-256; the signature is DER-encoded, as JCA's {@code SHA256withECDSA}. */
    ECDSA_SHA256(EnumSet.of(KeyType.EC_P256, KeyType.EC_P384)),
    /** ECDSA over SHA-384; the signature is DER-encoded, as JCA's {@code SHA384withECDSA}. */
    ECDSA_SHA384(EnumSet.of(KeyType.EC_P256, KeyType.EC_P384)),
    /** RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt. */
    RSA_PSS_SHA256(EnumSet.of(KeyType.RSA_2048, KeyType.RSA_3072)),
    /** RSA PKCS#1 v1.5 with SHA-256, as JCA's {@code SHA256withRSA}. */
    RSA_PKCS1_SHA256(EnumSet.of(KeyType.RSA_2048, KeyType.RSA_3072)),
    /** HMAC-SHA256; "verify" recomputes the MAC and compares in constant time. */
    HMAC_SHA256(EnumSet.of(KeyType.HMAC_SHA256));

    private final Set<KeyType> keyTypes;

    SignatureAlgorithm(Set<KeyType> keyTypes) {
        this.keyTypes = keyTypes;
    }

    /** The key types this algorithm accepts. */
    public Set<KeyType> keyTypes() {
        return EnumSet.copyOf(keyTypes);
    }

    /** Whether this algorithm accepts keys of the given type. */
    public boolean accepts(KeyType type) {
        return keyTypes.contains(type);
    }
}
