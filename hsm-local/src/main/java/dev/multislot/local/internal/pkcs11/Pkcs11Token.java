package dev.multislot.local.internal.pkcs11;

import dev.multislot.local.internal.token.Token;
import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.*;

/**
 * A {@link Token} on a PKCS#11 module's token: every protocol operation becomes PKCS#11 calls on a
 * session borrowed from a bounded pool (docs/pkcs11.md has the mapping). The token is logged in
 * once, as the user, when it opens; PKCS#11 logins belong to the application, so every session
 * of the pool shares it. Thread-safe; every call blocks and must run on a worker thread.
 */
public final class Pkcs11Token implements Token {

    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BYTES = 16;
    private static final int RESPONSE_OVERHEAD = ProtocolConstants.HEADER_SIZE + 8;

    private final Pkcs11Module module;
    private final String tokenLabel;
    private final PKCS11 p11;
    private final SessionPool sessions;
    private final Pkcs11Keys keys;
    private final boolean tokenHashesEcdsa;
    private final int maxFrameSize;

    private Pkcs11Token(Pkcs11Module module, String tokenLabel, SessionPool sessions, Set<Long> mechanisms,
            int maxFrameSize) {
        this.module = module;
        this.tokenLabel = tokenLabel;
        this.p11 = module.p11();
        this.sessions = sessions;
        SecureRandom random = new SecureRandom();
        random.nextBytes(new byte[16]); // seed here, not on a worker
        this.keys = new Pkcs11Keys(p11, random);
        this.tokenHashesEcdsa = mechanisms.contains(CKM_ECDSA_SHA256) && mechanisms.contains(CKM_ECDSA_SHA384);
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Loads the module, finds the token by label and logs in as the user. Blocks.
     *
     * @param sessions the most sessions to open: the worker threads that will call it
     * @throws IllegalArgumentException naming the library or token when either is missing
     * @throws IllegalStateException when the token refuses the PIN or a session
     */
    public static Pkcs11Token open(Path library, String tokenLabel, char[] pin, int sessions, int maxFrameSize) {
        Pkcs11Module module = Pkcs11Module.load(library);
        long slot = module.slotOf(tokenLabel);
        SessionPool pool = new SessionPool(module.p11(), slot, sessions);
        try {
            long first = pool.openAnchor();
            login(module.p11(), first, pin, tokenLabel);
            Set<Long> mechanisms = LongStream.of(module.p11().C_GetMechanismList(slot)).boxed()
                    .collect(Collectors.toSet());
            return new Pkcs11Token(module, tokenLabel, pool, mechanisms, maxFrameSize);
        } catch (PKCS11Exception e) {
            pool.close();
            throw new IllegalStateException("token '" + tokenLabel + "' of " + library + " refused a session: "
                    + CkrStatus.name(e), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void login(PKCS11 p11, long session, char[] pin, String tokenLabel) {
        try {
            p11.C_Login(session, CKU_USER, pin);
        } catch (PKCS11Exception e) {
            if (e.getErrorCode() == CkrStatus.CKR_USER_ALREADY_LOGGED_IN) {
                return; // another cluster of this process logged in to the same token
            }
            String why = CkrStatus.status(e.getErrorCode()) == Status.PIN_INCORRECT
                    ? "refused the user PIN" : "refused the user login";
            throw new IllegalStateException("token '" + tokenLabel + "' " + why + ": C_Login returned "
                    + CkrStatus.name(e));
        }
    }

    public Path library() {
        return module.library();
    }

    public String tokenLabel() {
        return tokenLabel;
    }

    @Override
    public String kind() {
        return "pkcs11";
    }

    @Override
    public int keyCount() {
        try {
            return call(s -> keys.find(s, java.util.Optional.empty())).size();
        } catch (TokenException e) {
            throw new IllegalStateException("cannot count the keys of token '" + tokenLabel + "': " + e.getMessage());
        }
    }

    @Override
    public void close() {
        sessions.close();
    }

    @Override
    public Response execute(Request r) throws TokenException {
        try {
            return dispatch(r);
        } catch (TokenException e) {
            if (e.status() == Status.KEY_HANDLE_INVALID) {
                // Destroyed behind our back (pkcs11-tool, another process): look it up afresh next time.
                handleOf(r).ifPresent(keys::forget);
            }
            throw e;
        }
    }

    private static java.util.Optional<Long> handleOf(Request r) {
        long h = r instanceof Request.Sign s ? s.handle() : r instanceof Request.Verify v ? v.handle()
                : r instanceof Request.Encrypt e ? e.handle() : r instanceof Request.Decrypt d ? d.handle()
                : r instanceof Request.GetKey g ? g.handle() : r instanceof Request.GetPublicKey p ? p.handle()
                : r instanceof Request.DeleteKey k ? k.handle() : 0;
        return h == 0 ? java.util.Optional.empty() : java.util.Optional.of(h);
    }

    private Response dispatch(Request r) throws TokenException {
        if (r instanceof Request.GenerateKey g) {
            requireLabel(g.label());
            return call(s -> keys.generate(s, g.keyType(), g.label())).info();
        } else if (r instanceof Request.FindKeys f) {
            return findKeys(f);
        } else if (r instanceof Request.GetKey g) {
            return call(s -> keys.require(s, g.handle())).info();
        } else if (r instanceof Request.GetPublicKey g) {
            return new Response.Bytes(call(s -> publicKey(s, keys.require(s, g.handle()))));
        } else if (r instanceof Request.DeleteKey d) {
            call(s -> {
                keys.destroy(s, d.handle());
                return null;
            });
            return new Response.Done();
        } else if (r instanceof Request.Sign sg) {
            return new Response.Bytes(call(s -> Pkcs11Crypto.sign(p11, s, keys.require(s, sg.handle()),
                    sg.mechanism(), sg.data(), tokenHashesEcdsa)));
        } else if (r instanceof Request.Verify v) {
            return new Response.Verified(call(s -> Pkcs11Crypto.verify(p11, s, keys.require(s, v.handle()),
                    v.mechanism(), v.data(), v.signature(), tokenHashesEcdsa)));
        } else if (r instanceof Request.Encrypt e) {
            return encrypt(e);
        } else if (r instanceof Request.Decrypt d) {
            return new Response.Bytes(decrypt(d));
        } else if (r instanceof Request.Random rnd) {
            return new Response.Bytes(random(rnd.length()));
        }
        throw new TokenException(Status.GENERAL_ERROR, r.opcode() + " is not a token operation");
    }

    // ------------------------------------------------------------------ keys

    private static void requireLabel(String label) throws TokenException {
        int labelBytes = label.getBytes(StandardCharsets.UTF_8).length;
        if (labelBytes > ProtocolConstants.MAX_LABEL_BYTES) {
            throw new TokenException(Status.ARGUMENTS_BAD, "label of " + labelBytes + " UTF-8 bytes is longer than the "
                    + ProtocolConstants.MAX_LABEL_BYTES + " allowed");
        }
    }

    private Response.KeyList findKeys(Request.FindKeys f) throws TokenException {
        List<Pkcs11Key> found = call(s -> keys.find(s, f.label()));
        long size = RESPONSE_OVERHEAD;
        for (Pkcs11Key k : found) {
            size += 11 + k.label().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > maxFrameSize) {
            throw new TokenException(Status.DATA_LEN_RANGE, found.size()
                    + " keys do not fit in one response frame; find them by label");
        }
        return new Response.KeyList(found.stream().map(Pkcs11Key::info).toList());
    }

    private byte[] publicKey(long session, Pkcs11Key k) throws TokenException {
        if (!k.isPair()) {
            throw new TokenException(Status.KEY_TYPE_INCONSISTENT,
                    "key " + k.handle() + " is a " + k.type() + " secret key and has no public key");
        }
        boolean ec = k.type() == WireKeyType.EC_P256 || k.type() == WireKeyType.EC_P384;
        long object = k.publicObject() != 0 ? k.publicObject() : ec ? 0 : k.keyObject();
        if (object == 0) {
            throw new TokenException(Status.KEY_TYPE_INCONSISTENT, "key " + k.handle()
                    + " has no public key object on the token (same CKA_ID, CKO_PUBLIC_KEY)");
        }
        try {
            if (ec) {
                CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(CKA_EC_POINT)};
                p11.C_GetAttributeValue(session, object, a);
                return PublicKeys.ecSpki(k.type(), a[0].getByteArray());
            }
            CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(CKA_MODULUS), new CK_ATTRIBUTE(CKA_PUBLIC_EXPONENT)};
            p11.C_GetAttributeValue(session, object, a);
            return PublicKeys.rsaSpki(a[0].getByteArray(), a[1].getByteArray());
        } catch (PKCS11Exception e) {
            throw CkrStatus.fail("C_GetAttributeValue", e);
        } catch (IllegalArgumentException e) {
            throw new TokenException(Status.GENERAL_ERROR, "the token's public key " + k.handle() + " is malformed: "
                    + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ encrypt / decrypt

    private Response.Encrypted encrypt(Request.Encrypt e) throws TokenException {
        long responseSize = RESPONSE_OVERHEAD + GCM_IV_BYTES + (long) e.plaintext().length + GCM_TAG_BYTES;
        if (responseSize > maxFrameSize) {
            throw new TokenException(Status.DATA_LEN_RANGE, "a " + e.plaintext().length
                    + "-byte plaintext makes a ciphertext too large for one frame of at most " + maxFrameSize + " bytes");
        }
        return call(s -> {
            Pkcs11Key k = keys.require(s, e.handle());
            Pkcs11Crypto.requireGcm(k, e.mechanism());
            byte[] iv = new byte[GCM_IV_BYTES];
            try {
                p11.C_GenerateRandom(s, iv); // the IV comes from the token's own generator
            } catch (PKCS11Exception x) {
                throw CkrStatus.fail("C_GenerateRandom", x);
            }
            return new Response.Encrypted(iv, Pkcs11Crypto.gcm(p11, s, k, true, iv, e.plaintext(), e.aad()));
        });
    }

    private byte[] decrypt(Request.Decrypt d) throws TokenException {
        return call(s -> {
            Pkcs11Key k = keys.require(s, d.handle());
            Pkcs11Crypto.requireGcm(k, d.mechanism());
            if (d.iv().length != GCM_IV_BYTES) {
                throw new TokenException(Status.DATA_INVALID, "AES-GCM IV must be " + GCM_IV_BYTES + " bytes, was "
                        + d.iv().length);
            }
            if (d.ciphertext().length < GCM_TAG_BYTES) {
                throw new TokenException(Status.ENCRYPTED_DATA_INVALID, "ciphertext of " + d.ciphertext().length
                        + " bytes is shorter than the " + GCM_TAG_BYTES + "-byte tag");
            }
            return Pkcs11Crypto.gcm(p11, s, k, false, d.iv(), d.ciphertext(), d.aad());
        });
    }

    private byte[] random(int length) throws TokenException {
        if (length < 1 || length > ProtocolConstants.MAX_RANDOM_LENGTH) {
            throw new TokenException(Status.ARGUMENTS_BAD, "random length must be 1.."
                    + ProtocolConstants.MAX_RANDOM_LENGTH + ", was " + length);
        }
        return call(s -> {
            byte[] b = new byte[length];
            try {
                p11.C_GenerateRandom(s, b);
            } catch (PKCS11Exception e) {
                throw CkrStatus.fail("C_GenerateRandom", e);
            }
            return b;
        });
    }

    // ------------------------------------------------------------------ sessions

    private interface InSession<T> {
        T run(long session) throws TokenException;
    }

    /** Runs {@code work} on a borrowed session; a session whose call failed is closed, not reused. */
    private <T> T call(InSession<T> work) throws TokenException {
        long session = sessions.borrow();
        T result;
        try {
            result = work.run(session);
        } catch (TokenException | RuntimeException e) {
            sessions.discard(session);
            throw e;
        }
        sessions.giveBack(session);
        return result;
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + tokenLabel + " on " + module.library() + "]";
    }
}
