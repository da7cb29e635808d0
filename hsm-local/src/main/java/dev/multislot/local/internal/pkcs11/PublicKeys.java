package dev.multislot.local.internal.pkcs11;

import dev.multislot.protocol.WireKeyType;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Public keys and curves as PKCS#11 holds them ({@code CKA_EC_PARAMS}, {@code CKA_EC_POINT},
 * modulus and exponent), turned into the X.509 SubjectPublicKeyInfo DER the protocol answers.
 */
final class PublicKeys {

    /** The DER OIDs of the two curves, as {@code CKA_EC_PARAMS} holds them. */
    static final byte[] P256_PARAMS = HexFormat.of().parseHex("06082a8648ce3d030107");
    static final byte[] P384_PARAMS = HexFormat.of().parseHex("06052b81040022");
    private static final byte[] P256_SPKI_PREFIX = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    private static final byte[] P384_SPKI_PREFIX = HexFormat.of().parseHex("3076301006072a8648ce3d020106052b81040022036200");

    private PublicKeys() {
    }

    /** The curve's key type, or null for a curve the protocol does not have. */
    static WireKeyType curveOf(byte[] ecParams) {
        if (Arrays.equals(ecParams, P256_PARAMS)) {
            return WireKeyType.EC_P256;
        } else if (Arrays.equals(ecParams, P384_PARAMS)) {
            return WireKeyType.EC_P384;
        }
        return null;
    }

    static int fieldBytes(WireKeyType curve) {
        return curve == WireKeyType.EC_P256 ? 32 : 48;
    }

    /**
     * @param ecPoint {@code CKA_EC_POINT}: the uncompressed point, DER-wrapped in an OCTET STRING
     *     as the standard says, or bare as some modules give it
     */
    static byte[] ecSpki(WireKeyType curve, byte[] ecPoint) {
        int pointLen = 1 + 2 * fieldBytes(curve);
        byte[] point = ecPoint.length == pointLen + 2 && ecPoint[0] == 0x04
                ? Arrays.copyOfRange(ecPoint, 2, ecPoint.length) : ecPoint;
        if (point.length != pointLen || point[0] != 0x04) {
            throw new IllegalArgumentException("CKA_EC_POINT of " + ecPoint.length + " bytes is not an uncompressed "
                    + curve + " point");
        }
        byte[] prefix = curve == WireKeyType.EC_P256 ? P256_SPKI_PREFIX : P384_SPKI_PREFIX;
        byte[] spki = Arrays.copyOf(prefix, prefix.length + point.length);
        System.arraycopy(point, 0, spki, prefix.length, point.length);
        return spki;
    }

    static byte[] rsaSpki(byte[] modulus, byte[] exponent) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), new BigInteger(1, exponent)))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
        }
    }
}
