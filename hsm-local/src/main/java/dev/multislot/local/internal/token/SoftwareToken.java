package dev.multislot.local.internal.token;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A cluster's software token (the default {@link Token}): executes the key and crypto requests against the cluster's key
 * store with the JDK's providers. Thread-safe; every method may run concurrently on any worker
 * thread. It is CPU-bound and must not run on an event loop.
 *
 * <p>Login state is the connection's business, not the token's: callers check it before they
 * hand a request over.
 */
public final class SoftwareToken implements Token {

    /** GCM's recommended IV length, and the only one this token accepts. */
    public static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    /** Bytes of a response frame besides its variable fields: the header and two u32 length or count fields. */
    private static final int RESPONSE_OVERHEAD = ProtocolConstants.HEADER_SIZE + 8;
    private static final PSSParameterSpec PSS_SHA256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private final ClusterKeyStore keys = new ClusterKeyStore();
    private final SecureRandom random;
    private final int maxFrameSize;

    /**
     * @param maxFrameSize the largest response frame the connection can carry; requests whose
     *     answer would be larger are refused with DATA_LEN_RANGE instead of failing the write
     */
    public SoftwareToken(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
        this.random = new SecureRandom();
        // The first draw reads the OS entropy source; do it here, on the thread that builds the
        // cluster, so that no worker or event loop ever pays for (or blocks on) seeding.
        this.random.nextBytes(new byte[32]);
    }

    @Override
    public int keyCount() {
        return keys.size();
    }

    @Override
    public String kind() {
        return "software";
    }

    /** Nothing to release: the keys live in memory and go with the cluster. */
    @Override
    public void close() {
    }

    @Override
    public Response execute(Request r) throws TokenException {
        if (r instanceof Request.GenerateKey g) {
            return generate(g.keyType(), g.label());
        } else if (r instanceof Request.FindKeys f) {
            return findKeys(f);
        } else if (r instanceof Request.GetKey g) {
            return key(g.handle()).info();
        } else if (r instanceof Request.GetPublicKey g) {
            StoredKey k = key(g.handle());
            if (k.pair() == null) {
                throw new TokenException(Status.KEY_TYPE_INCONSISTENT,
                        "key " + k.handle() + " is a " + k.type() + " secret key and has no public key");
            }
            return new Response.Bytes(k.pair().getPublic().getEncoded());
        } else if (r instanceof Request.DeleteKey d) {
            if (!keys.remove(d.handle())) {
                throw unknownKey(d.handle());
            }
            return new Response.Done();
        } else if (r instanceof Request.Sign s) {
            return new Response.Bytes(sign(key(s.handle()), s.mechanism(), s.data()));
        } else if (r instanceof Request.Verify v) {
            return new Response.Verified(verify(key(v.handle()), v.mechanism(), v.data(), v.signature()));
        } else if (r instanceof Request.Encrypt e) {
            return encrypt(key(e.handle()), e.mechanism(), e.plaintext(), e.aad());
        } else if (r instanceof Request.Decrypt d) {
            return new Response.Bytes(decrypt(key(d.handle()), d.mechanism(), d.iv(), d.ciphertext(), d.aad()));
        } else if (r instanceof Request.Random rnd) {
            return new Response.Bytes(random(rnd.length()));
        }
        throw new TokenException(Status.GENERAL_ERROR, r.opcode() + " is not a token operation");
    }

    // ------------------------------------------------------------------ keys

    private Response.KeyInfo generate(WireKeyType type, String label) throws TokenException {
        int labelBytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (labelBytes > ProtocolConstants.MAX_LABEL_BYTES) {
            throw new TokenException(Status.ARGUMENTS_BAD, "label of " + labelBytes + " UTF-8 bytes is longer than the "
                    + ProtocolConstants.MAX_LABEL_BYTES + " allowed");
        }
        try {
            StoredKey k = switch (type) {
                case AES_256 -> {
                    SecretKey key = secretKey("AES");
                    yield keys.add(h -> StoredKey.secret(h, type, label, key));
                }
                case HMAC_SHA256 -> {
                    SecretKey key = secretKey("HmacSHA256");
                    yield keys.add(h -> StoredKey.secret(h, type, label, key));
                }
                case EC_P256, EC_P384, RSA_2048, RSA_3072 -> {
                    KeyPair pair = keyPair(type);
                    yield keys.add(h -> StoredKey.pair(h, type, label, pair));
                }
            };
            return k.info();
        } catch (GeneralSecurityException e) {
            throw new TokenException(Status.GENERAL_ERROR, "cannot generate a " + type + " key: " + e.getMessage());
        }
    }

    private SecretKey secretKey(String algorithm) throws GeneralSecurityException {
        KeyGenerator kg = KeyGenerator.getInstance(algorithm);
        kg.init(256, random);
        return kg.generateKey();
    }

    private KeyPair keyPair(WireKeyType type) throws GeneralSecurityException {
        KeyPairGenerator kpg;
        switch (type) {
            case EC_P256, EC_P384 -> {
                kpg = KeyPairGenerator.getInstance("EC");
                kpg.initialize(new ECGenParameterSpec(type == WireKeyType.EC_P256 ? "secp256r1" : "secp384r1"), random);
            }
            case RSA_2048, RSA_3072 -> {
                kpg = KeyPairGenerator.getInstance("RSA");
                kpg.initialize(new RSAKeyGenParameterSpec(type == WireKeyType.RSA_2048 ? 2048 : 3072,
                        RSAKeyGenParameterSpec.F4), random);
            }
            default -> throw new IllegalArgumentException(type + " is not a key pair type");
        }
        return kpg.generateKeyPair();
    }

    private Response.KeyList findKeys(Request.FindKeys f) throws TokenException {
        List<StoredKey> found = keys.find(f.label());
        long size = RESPONSE_OVERHEAD;
        for (StoredKey k : found) {
            size += 11 + k.label().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > maxFrameSize) {
            throw new TokenException(Status.DATA_LEN_RANGE, found.size()
                    + " keys do not fit in one response frame; find them by label");
        }
        return new Response.KeyList(found.stream().map(StoredKey::info).toList());
    }

    private StoredKey key(long handle) throws TokenException {
        return keys.get(handle).orElseThrow(() -> unknownKey(handle));
    }

    private static TokenException unknownKey(long handle) {
        return new TokenException(Status.KEY_HANDLE_INVALID, "no key with handle " + handle);
    }

    // ------------------------------------------------------------------ sign / verify

    private byte[] sign(StoredKey k, Mechanism m, byte[] data) throws TokenException {
        try {
            if (m == Mechanism.HMAC_SHA256) {
                return hmac(k, data);
            }
            Signature s = signature(k, m);
            s.initSign(k.pair().getPrivate(), random);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new TokenException(Status.GENERAL_ERROR, m + " signing failed: " + e.getMessage());
        }
    }

    private boolean verify(StoredKey k, Mechanism m, byte[] data, byte[] signature) throws TokenException {
        try {
            if (m == Mechanism.HMAC_SHA256) {
                // Constant time, so that a caller cannot learn the MAC byte by byte.
                return MessageDigest.isEqual(hmac(k, data), signature);
            }
            Signature s = signature(k, m);
            s.initVerify(k.pair().getPublic());
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException e) {
            throw new TokenException(Status.DATA_INVALID, "the " + signature.length + "-byte signature is malformed for "
                    + m + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new TokenException(Status.GENERAL_ERROR, m + " verification failed: " + e.getMessage());
        }
    }

    private byte[] hmac(StoredKey k, byte[] data) throws GeneralSecurityException, TokenException {
        requireType(k, Mechanism.HMAC_SHA256, WireKeyType.HMAC_SHA256);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(k.secret());
        return mac.doFinal(data);
    }

    /** A Signature for a key pair mechanism, after checking that the key suits it. */
    private static Signature signature(StoredKey k, Mechanism m) throws GeneralSecurityException, TokenException {
        switch (m) {
            case ECDSA_SHA256, ECDSA_SHA384 -> {
                requireType(k, m, WireKeyType.EC_P256, WireKeyType.EC_P384);
                return Signature.getInstance(m == Mechanism.ECDSA_SHA256 ? "SHA256withECDSA" : "SHA384withECDSA");
            }
            case RSA_PSS_SHA256 -> {
                requireType(k, m, WireKeyType.RSA_2048, WireKeyType.RSA_3072);
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(PSS_SHA256);
                return s;
            }
            case RSA_PKCS1_SHA256 -> {
                requireType(k, m, WireKeyType.RSA_2048, WireKeyType.RSA_3072);
                return Signature.getInstance("SHA256withRSA");
            }
            default -> throw new TokenException(Status.MECHANISM_INVALID, m + " is not a sign or verify mechanism");
        }
    }

    // ------------------------------------------------------------------ encrypt / decrypt

    private Response.Encrypted encrypt(StoredKey k, Mechanism m, byte[] plaintext, byte[] aad) throws TokenException {
        requireGcm(k, m);
        long responseSize = RESPONSE_OVERHEAD + GCM_IV_BYTES + (long) plaintext.length + GCM_TAG_BITS / 8;
        if (responseSize > maxFrameSize) {
            throw new TokenException(Status.DATA_LEN_RANGE, "a " + plaintext.length
                    + "-byte plaintext makes a ciphertext too large for one frame of at most " + maxFrameSize + " bytes");
        }
        byte[] iv = new byte[GCM_IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k.secret(), new GCMParameterSpec(GCM_TAG_BITS, iv));
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            return new Response.Encrypted(iv, c.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new TokenException(Status.GENERAL_ERROR, "AES-GCM encryption failed: " + e.getMessage());
        }
    }

    private byte[] decrypt(StoredKey k, Mechanism m, byte[] iv, byte[] ciphertext, byte[] aad) throws TokenException {
        requireGcm(k, m);
        if (iv.length != GCM_IV_BYTES) {
            throw new TokenException(Status.DATA_INVALID, "AES-GCM IV must be " + GCM_IV_BYTES + " bytes, was " + iv.length);
        }
        if (ciphertext.length < GCM_TAG_BITS / 8) {
            throw new TokenException(Status.ENCRYPTED_DATA_INVALID, "ciphertext of " + ciphertext.length
                    + " bytes is shorter than the " + GCM_TAG_BITS / 8 + "-byte tag");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k.secret(), new GCMParameterSpec(GCM_TAG_BITS, iv));
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new TokenException(Status.ENCRYPTED_DATA_INVALID, "AES-GCM tag check failed: wrong key, IV, AAD or data");
        } catch (InvalidKeyException e) {
            throw new TokenException(Status.KEY_TYPE_INCONSISTENT, "key " + k.handle() + " cannot decrypt: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new TokenException(Status.GENERAL_ERROR, "AES-GCM decryption failed: " + e.getMessage());
        }
    }

    private static void requireGcm(StoredKey k, Mechanism m) throws TokenException {
        if (m != Mechanism.AES_GCM) {
            throw new TokenException(Status.MECHANISM_INVALID, m + " is not an encryption mechanism; use AES_GCM");
        }
        requireType(k, m, WireKeyType.AES_256);
    }

    // ------------------------------------------------------------------ random

    private byte[] random(int length) throws TokenException {
        if (length < 1 || length > ProtocolConstants.MAX_RANDOM_LENGTH) {
            throw new TokenException(Status.ARGUMENTS_BAD, "random length must be 1.."
                    + ProtocolConstants.MAX_RANDOM_LENGTH + ", was " + length);
        }
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static void requireType(StoredKey k, Mechanism m, WireKeyType... allowed) throws TokenException {
        for (WireKeyType t : allowed) {
            if (k.type() == t) {
                return;
            }
        }
        throw new TokenException(Status.KEY_TYPE_INCONSISTENT, "key " + k.handle() + " is " + k.type()
                + ", which " + m + " cannot use; expected " + List.of(allowed));
    }
}
