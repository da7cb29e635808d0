package dev.multislot.local.internal.pkcs11;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

/**
 * Key management on the token with the PKCS#11 calls themselves (SunPKCS11's KeyStore cannot
 * label keys nor list keys without certificates): generate with a template, find by label or id,
 * destroy. Every method takes a session the caller has borrowed. Lookups by handle are cached; an
 * entry goes when its key is destroyed or the module no longer knows its object.
 */
final class Pkcs11Keys {

    /** Objects fetched per C_FindObjects call. */
    private static final int FIND_BATCH = 64;
    private static final long CKK_SHA256_HMAC = 0x2BL;

    private final PKCS11 p11;
    private final SecureRandom random;
    private final ConcurrentHashMap<Long, Pkcs11Key> byHandle = new ConcurrentHashMap<>();

    Pkcs11Keys(PKCS11 p11, SecureRandom random) {
        this.p11 = p11;
        this.random = random;
    }

    // ------------------------------------------------------------------ generate

    Pkcs11Key generate(long session, WireKeyType type, String label) throws TokenException {
        long handle = freshHandle(session);
        byte[] id = KeyIds.idsOf(handle).get(0);
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        try {
            return switch (type) {
                case AES_256 -> secret(session, handle, type, label,
                        p11.C_GenerateKey(session, new CK_MECHANISM(CKM_AES_KEY_GEN),
                                secretTemplate(CKK_AES, id, labelBytes, CKA_ENCRYPT, CKA_DECRYPT)));
                case HMAC_SHA256 -> secret(session, handle, type, label,
                        p11.C_GenerateKey(session, new CK_MECHANISM(CKM_GENERIC_SECRET_KEY_GEN),
                                secretTemplate(CKK_GENERIC_SECRET, id, labelBytes, CKA_SIGN, CKA_VERIFY)));
                case EC_P256, EC_P384 -> {
                    CK_ATTRIBUTE curve = new CK_ATTRIBUTE(CKA_EC_PARAMS,
                            type == WireKeyType.EC_P256 ? PublicKeys.P256_PARAMS : PublicKeys.P384_PARAMS);
                    long[] objects = p11.C_GenerateKeyPair(session, new CK_MECHANISM(CKM_EC_KEY_PAIR_GEN),
                            publicTemplate(id, labelBytes, curve), privateTemplate(id, labelBytes));
                    yield remember(new Pkcs11Key(handle, type, label, objects[1], objects[0]));
                }
                case RSA_2048, RSA_3072 -> {
                    CK_ATTRIBUTE bits = new CK_ATTRIBUTE(CKA_MODULUS_BITS, type == WireKeyType.RSA_2048 ? 2048L : 3072L);
                    CK_ATTRIBUTE exponent = new CK_ATTRIBUTE(CKA_PUBLIC_EXPONENT, new byte[] {1, 0, 1});
                    long[] objects = p11.C_GenerateKeyPair(session, new CK_MECHANISM(CKM_RSA_PKCS_KEY_PAIR_GEN),
                            publicTemplate(id, labelBytes, bits, exponent), privateTemplate(id, labelBytes));
                    yield remember(new Pkcs11Key(handle, type, label, objects[1], objects[0]));
                }
            };
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail("generating a " + type + " key: C_GenerateKey", e);
        }
    }

    private long freshHandle(long session) throws TokenException {
        while (true) {
            long h = random.nextLong() >>> 1;
            if (h != 0 && lookup(session, h).isEmpty()) {
                return h;
            }
        }
    }

    private Pkcs11Key secret(long session, long handle, WireKeyType type, String label, long object) {
        return remember(new Pkcs11Key(handle, type, label, object, 0));
    }

    private static CK_ATTRIBUTE[] secretTemplate(long keyType, byte[] id, byte[] label, long use1, long use2) {
        return new CK_ATTRIBUTE[] {
            new CK_ATTRIBUTE(CKA_CLASS, CKO_SECRET_KEY), new CK_ATTRIBUTE(CKA_KEY_TYPE, keyType),
            new CK_ATTRIBUTE(CKA_VALUE_LEN, 32L), new CK_ATTRIBUTE(CKA_TOKEN, true),
            new CK_ATTRIBUTE(CKA_PRIVATE, true), new CK_ATTRIBUTE(CKA_SENSITIVE, true),
            new CK_ATTRIBUTE(CKA_EXTRACTABLE, false), new CK_ATTRIBUTE(CKA_ID, id), new CK_ATTRIBUTE(CKA_LABEL, label),
            new CK_ATTRIBUTE(use1, true), new CK_ATTRIBUTE(use2, true),
        };
    }

    private static CK_ATTRIBUTE[] publicTemplate(byte[] id, byte[] label, CK_ATTRIBUTE... params) {
        List<CK_ATTRIBUTE> t = new ArrayList<>(List.of(new CK_ATTRIBUTE(CKA_TOKEN, true),
                new CK_ATTRIBUTE(CKA_VERIFY, true), new CK_ATTRIBUTE(CKA_ID, id), new CK_ATTRIBUTE(CKA_LABEL, label)));
        t.addAll(List.of(params));
        return t.toArray(CK_ATTRIBUTE[]::new);
    }

    private static CK_ATTRIBUTE[] privateTemplate(byte[] id, byte[] label) {
        return new CK_ATTRIBUTE[] {
            new CK_ATTRIBUTE(CKA_TOKEN, true), new CK_ATTRIBUTE(CKA_PRIVATE, true),
            new CK_ATTRIBUTE(CKA_SENSITIVE, true), new CK_ATTRIBUTE(CKA_EXTRACTABLE, false),
            new CK_ATTRIBUTE(CKA_SIGN, true), new CK_ATTRIBUTE(CKA_ID, id), new CK_ATTRIBUTE(CKA_LABEL, label),
        };
    }

    // ------------------------------------------------------------------ find

    /** The protocol-visible keys with this label, or all, in handle order. */
    List<Pkcs11Key> find(long session, Optional<String> label) throws TokenException {
        List<Pkcs11Key> found = new ArrayList<>();
        for (long cls : new long[] {CKO_PRIVATE_KEY, CKO_SECRET_KEY}) {
            List<CK_ATTRIBUTE> t = new ArrayList<>(List.of(new CK_ATTRIBUTE(CKA_CLASS, cls),
                    new CK_ATTRIBUTE(CKA_TOKEN, true)));
            label.ifPresent(l -> t.add(new CK_ATTRIBUTE(CKA_LABEL, l.getBytes(StandardCharsets.UTF_8))));
            for (long object : findObjects(session, t.toArray(CK_ATTRIBUTE[]::new))) {
                describe(session, object).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparingLong(Pkcs11Key::handle));
        return found;
    }

    /** The key with this handle. */
    Pkcs11Key require(long session, long handle) throws TokenException {
        return lookup(session, handle).orElseThrow(() -> unknown(handle));
    }

    static TokenException unknown(long handle) {
        return new TokenException(Status.KEY_HANDLE_INVALID, "no key with handle " + handle + " on the token");
    }

    private Optional<Pkcs11Key> lookup(long session, long handle) throws TokenException {
        Pkcs11Key cached = byHandle.get(handle);
        if (cached != null) {
            return Optional.of(cached);
        }
        for (byte[] id : KeyIds.idsOf(handle)) {
            for (long cls : new long[] {CKO_PRIVATE_KEY, CKO_SECRET_KEY}) {
                for (long object : findObjects(session, new CK_ATTRIBUTE[] {
                        new CK_ATTRIBUTE(CKA_CLASS, cls), new CK_ATTRIBUTE(CKA_ID, id)})) {
                    Optional<Pkcs11Key> k = describe(session, object);
                    if (k.isPresent()) {
                        return Optional.of(remember(k.get()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Forgets a cached key whose object the module no longer knows. */
    void forget(long handle) {
        byHandle.remove(handle);
    }

    // ------------------------------------------------------------------ destroy

    void destroy(long session, long handle) throws TokenException {
        Pkcs11Key k = require(session, handle);
        byte[] id = idOf(session, k.keyObject());
        try {
            for (long object : findObjects(session, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_ID, id)})) {
                p11.C_DestroyObject(session, object);
            }
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail("C_DestroyObject", e);
        } finally {
            forget(handle);
        }
    }

    // ------------------------------------------------------------------ reading objects

    /** The key behind a private or secret key object, if the protocol has a type for it. */
    private Optional<Pkcs11Key> describe(long session, long object) throws TokenException {
        try {
            CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(CKA_CLASS), new CK_ATTRIBUTE(CKA_KEY_TYPE), new CK_ATTRIBUTE(CKA_ID),
                new CK_ATTRIBUTE(CKA_LABEL)};
            p11.C_GetAttributeValue(session, object, a);
            long handle = KeyIds.handleOf(bytes(a[2]));
            if (handle == 0) {
                return Optional.empty();
            }
            String label = new String(bytes(a[3]), StandardCharsets.UTF_8);
            WireKeyType type = typeOf(session, object, a[0].getLong(), a[1].getLong());
            if (type == null) {
                return Optional.empty();
            }
            long publicObject = 0;
            if (a[0].getLong() == CKO_PRIVATE_KEY) {
                long[] pub = findObjects(session, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(CKA_CLASS, CKO_PUBLIC_KEY),
                    new CK_ATTRIBUTE(CKA_ID, bytes(a[2]))});
                publicObject = pub.length > 0 ? pub[0] : 0;
            }
            return Optional.of(new Pkcs11Key(handle, type, label, object, publicObject));
        } catch (PKCS11Exception e) {
            if (CkrStatus.status(e.getErrorCode()) == Status.KEY_HANDLE_INVALID) {
                return Optional.empty(); // destroyed between the find and the read
            }
            throw CkrStatus.fail("C_GetAttributeValue", e);
        }
    }

    private WireKeyType typeOf(long session, long object, long cls, long keyType) throws PKCS11Exception {
        if (cls == CKO_SECRET_KEY) {
            CK_ATTRIBUTE[] len = {new CK_ATTRIBUTE(CKA_VALUE_LEN)};
            p11.C_GetAttributeValue(session, object, len);
            if (len[0].getLong() != 32) {
                return null;
            }
            if (keyType == CKK_AES) {
                return WireKeyType.AES_256;
            }
            return keyType == CKK_GENERIC_SECRET || keyType == CKK_SHA256_HMAC ? WireKeyType.HMAC_SHA256 : null;
        }
        if (keyType == CKK_EC) {
            CK_ATTRIBUTE[] params = {new CK_ATTRIBUTE(CKA_EC_PARAMS)};
            p11.C_GetAttributeValue(session, object, params);
            return PublicKeys.curveOf(params[0].getByteArray());
        }
        if (keyType == CKK_RSA) {
            CK_ATTRIBUTE[] modulus = {new CK_ATTRIBUTE(CKA_MODULUS)};
            p11.C_GetAttributeValue(session, object, modulus);
            int bits = new java.math.BigInteger(1, modulus[0].getByteArray()).bitLength();
            return bits == 2048 ? WireKeyType.RSA_2048 : bits == 3072 ? WireKeyType.RSA_3072 : null;
        }
        return null;
    }

    private byte[] idOf(long session, long object) throws TokenException {
        CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(CKA_ID)};
        try {
            p11.C_GetAttributeValue(session, object, a);
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail("C_GetAttributeValue", e);
        }
        return bytes(a[0]);
    }

    long[] findObjects(long session, CK_ATTRIBUTE[] template) throws TokenException {
        try {
            p11.C_FindObjectsInit(session, template);
            try {
                long[] all = new long[0];
                long[] batch;
                do {
                    batch = p11.C_FindObjects(session, FIND_BATCH);
                    long[] grown = java.util.Arrays.copyOf(all, all.length + batch.length);
                    System.arraycopy(batch, 0, grown, all.length, batch.length);
                    all = grown;
                } while (batch.length == FIND_BATCH);
                return all;
            } finally {
                p11.C_FindObjectsFinal(session);
            }
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail("C_FindObjects", e);
        }
    }

    private Pkcs11Key remember(Pkcs11Key k) {
        byHandle.put(k.handle(), k);
        return k;
    }

    /** An attribute's bytes; the JDK hands CKA_LABEL back as chars, one per byte. */
    private static byte[] bytes(CK_ATTRIBUTE a) {
        Object v = a.pValue;
        if (v == null) {
            return new byte[0];
        }
        if (v instanceof char[] c) {
            byte[] b = new byte[c.length];
            for (int i = 0; i < c.length; i++) {
                b[i] = (byte) c[i];
            }
            return b;
        }
        return a.getByteArray();
    }
}
