package dev.multislot.local.internal.pkcs11;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import sun.security.pkcs11.wrapper.CK_GCM_PARAMS;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.CK_RSA_PKCS_PSS_PARAMS;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

/**
 * The protocol's mechanisms on PKCS#11 mechanisms, one single-part operation per call on a
 * session the caller holds. Key and mechanism checks come first and answer exactly as the
 * software token does, so both backends refuse the same requests the same way.
 */
final class Pkcs11Crypto {

    private static final int GCM_TAG_BITS = 128;

    private Pkcs11Crypto() {
    }

    static byte[] sign(PKCS11 p11, long s, Pkcs11Key k, Mechanism m, byte[] data, boolean tokenHashesEcdsa)
            throws TokenException {
        Signer signer = signer(k, m, tokenHashesEcdsa);
        try {
            p11.C_SignInit(s, signer.mechanism(), k.keyObject());
            byte[] out = p11.C_Sign(s, signer.input(data));
            return signer.ecdsa() ? EcdsaSignatures.toDer(out) : out;
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail(m + " with key " + k.handle() + ": C_Sign", e);
        }
    }

    static boolean verify(PKCS11 p11, long s, Pkcs11Key k, Mechanism m, byte[] data, byte[] signature,
            boolean tokenHashesEcdsa) throws TokenException {
        Signer signer = signer(k, m, tokenHashesEcdsa);
        byte[] sig = signature;
        if (signer.ecdsa()) {
            try {
                sig = EcdsaSignatures.toRaw(signature, PublicKeys.fieldBytes(k.type()));
            } catch (IllegalArgumentException e) {
                throw new TokenException(Status.DATA_INVALID, "the " + signature.length
                        + "-byte signature is malformed for " + m + ": " + e.getMessage());
            }
        }
        long object = k.isPair() ? k.publicObject() : k.keyObject();
        if (object == 0) {
            throw new TokenException(Status.KEY_TYPE_INCONSISTENT, "key " + k.handle()
                    + " has no public key object on the token to verify with");
        }
        try {
            p11.C_VerifyInit(s, signer.mechanism(), object);
            p11.C_Verify(s, signer.input(data), sig);
            return true;
        } catch (PKCS11Exception e) {
            long ckr = e.getErrorCode();
            if (ckr == CkrStatus.CKR_SIGNATURE_INVALID) {
                return false;
            }
            if (ckr == CkrStatus.CKR_SIGNATURE_LEN_RANGE) {
                if (m == Mechanism.HMAC_SHA256 || signer.ecdsa()) {
                    return false; // a MAC or a well-formed ECDSA value of another length: just wrong
                }
                throw new TokenException(Status.DATA_INVALID, "the " + signature.length
                        + "-byte signature has the wrong length for key " + k.handle());
            }
            throw CkrStatus.fail(m + " with key " + k.handle() + ": C_Verify", e);
        }
    }

    /** How to sign with a mechanism: the PKCS#11 mechanism, and whether the server hashes first. */
    private record Signer(CK_MECHANISM mechanism, String digest, boolean ecdsa) {
        byte[] input(byte[] data) throws TokenException {
            if (digest == null) {
                return data;
            }
            try {
                return MessageDigest.getInstance(digest).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new TokenException(Status.GENERAL_ERROR, digest + " is missing from this JDK");
            }
        }
    }

    private static Signer signer(Pkcs11Key k, Mechanism m, boolean tokenHashesEcdsa) throws TokenException {
        switch (m) {
            case ECDSA_SHA256, ECDSA_SHA384 -> {
                requireType(k, m, WireKeyType.EC_P256, WireKeyType.EC_P384);
                boolean sha256 = m == Mechanism.ECDSA_SHA256;
                if (tokenHashesEcdsa) {
                    return new Signer(new CK_MECHANISM(sha256 ? CKM_ECDSA_SHA256 : CKM_ECDSA_SHA384), null, true);
                }
                // Many tokens (SoftHSM2 2.6 among them) only have the raw CKM_ECDSA: hash here.
                return new Signer(new CK_MECHANISM(CKM_ECDSA), sha256 ? "SHA-256" : "SHA-384", true);
            }
            case RSA_PSS_SHA256 -> {
                requireType(k, m, WireKeyType.RSA_2048, WireKeyType.RSA_3072);
                CK_MECHANISM mech = new CK_MECHANISM(CKM_SHA256_RSA_PKCS_PSS);
                mech.setParameter(new CK_RSA_PKCS_PSS_PARAMS("SHA-256", "MGF1", "SHA-256", 32));
                return new Signer(mech, null, false);
            }
            case RSA_PKCS1_SHA256 -> {
                requireType(k, m, WireKeyType.RSA_2048, WireKeyType.RSA_3072);
                return new Signer(new CK_MECHANISM(CKM_SHA256_RSA_PKCS), null, false);
            }
            case HMAC_SHA256 -> {
                requireType(k, m, WireKeyType.HMAC_SHA256);
                return new Signer(new CK_MECHANISM(CKM_SHA256_HMAC), null, false);
            }
            default -> throw new TokenException(Status.MECHANISM_INVALID, m + " is not a sign or verify mechanism");
        }
    }

    /** AES-GCM with a 128-bit tag; {@code input} is the plaintext or the ciphertext with its tag. */
    static byte[] gcm(PKCS11 p11, long s, Pkcs11Key k, boolean encrypt, byte[] iv, byte[] input, byte[] aad)
            throws TokenException {
        CK_MECHANISM mech = new CK_MECHANISM(CKM_AES_GCM, new CK_GCM_PARAMS(GCM_TAG_BITS, iv, aad));
        // SoftHSM2 wants room for the whole input even when decrypting (the tag is not output).
        int outLen = encrypt ? input.length + GCM_TAG_BITS / 8 : input.length;
        byte[] out = new byte[Math.max(1, outLen)];
        try {
            int n;
            if (encrypt) {
                p11.C_GCMEncryptInitWithRetry(s, mech, k.keyObject(), true);
                n = p11.C_Encrypt(s, 0, input, 0, input.length, 0, out, 0, out.length);
            } else {
                p11.C_GCMDecryptInitWithRetry(s, mech, k.keyObject(), true);
                n = p11.C_Decrypt(s, 0, input, 0, input.length, 0, out, 0, out.length);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (PKCS11Exception e) {
            if (!encrypt && CkrStatus.status(e.getErrorCode()) != Status.HSM_BUSY
                    && CkrStatus.status(e.getErrorCode()) != Status.KEY_HANDLE_INVALID) {
                // Modules report a failed tag check in several ways; none of them leaks which part was wrong.
                throw new TokenException(Status.ENCRYPTED_DATA_INVALID,
                        "AES-GCM tag check failed: wrong key, IV, AAD or data (C_Decrypt returned " + CkrStatus.name(e) + ")");
            }
            throw CkrStatus.fail("AES-GCM with key " + k.handle() + (encrypt ? ": C_Encrypt" : ": C_Decrypt"), e);
        }
    }

    static void requireGcm(Pkcs11Key k, Mechanism m) throws TokenException {
        if (m != Mechanism.AES_GCM) {
            throw new TokenException(Status.MECHANISM_INVALID, m + " is not an encryption mechanism; use AES_GCM");
        }
        requireType(k, m, WireKeyType.AES_256);
    }

    private static void requireType(Pkcs11Key k, Mechanism m, WireKeyType... allowed) throws TokenException {
        for (WireKeyType t : allowed) {
            if (k.type() == t) {
                return;
            }
        }
        throw new TokenException(Status.KEY_TYPE_INCONSISTENT, "key " + k.handle() + " is " + k.type()
                + ", which " + m + " cannot use; expected " + List.of(allowed));
    }
}
