package dev.multislot.connector.internal.slot;

import dev.multislot.api.AeadCiphertext;
import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.connector.internal.transport.FrameSizes;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A logged-in user's view of a slot. Holds the login it was created with: once the slot's login
 * changes (logout), every operation fails with {@link dev.multislot.api.errors.NotLoggedInException}
 * without reaching an HSM.
 */
final class SlotSessionImpl implements SlotSession {

    private final SlotImpl slot;
    private final LoginState login;

    SlotSessionImpl(SlotImpl slot, LoginState login) {
        this.slot = slot;
        this.login = login;
    }

    @Override
    public Slot slot() {
        return slot;
    }

    @Override
    public String username() {
        return login.username();
    }

    @Override
    public Mono<KeyRef> generateKey(KeyType type, String label) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        int bytes = FrameSizes.utf8Length(label);
        if (bytes > ProtocolConstants.MAX_LABEL_BYTES) {
            return Mono.error(new DataInvalidException("key label of " + bytes + " UTF-8 bytes is longer than the "
                    + ProtocolConstants.MAX_LABEL_BYTES + " allowed", slot.clusterId(), null));
        }
        Request request = new Request.GenerateKey(Algorithms.wire(type), label);
        return slot.call(login, request, (response, hsm) -> new Made(keyRef(response, hsm), hsm))
                .flatMap(made -> slot.keyAvailability.afterGenerate(login, made.key(), made.hsm()));
    }

    @Override
    public Flux<KeyRef> findKeys(String label) {
        Objects.requireNonNull(label, "label");
        Request request = new Request.FindKeys(Optional.of(label));
        return slot.call(login, request, SlotSessionImpl::keyList).flatMapIterable(list -> list);
    }

    @Override
    public Flux<KeyRef> listKeys() {
        Request request = new Request.FindKeys(Optional.empty());
        return slot.call(login, request, SlotSessionImpl::keyList).flatMapIterable(list -> list);
    }

    @Override
    public Mono<KeyRef> key(long handle) {
        if (handle <= 0) {
            throw new IllegalArgumentException("key handle must be > 0, was " + handle);
        }
        Request request = new Request.GetKey(handle);
        return slot.call(login, request, SlotSessionImpl::keyRef);
    }

    @Override
    public Mono<PublicKey> publicKey(KeyRef key) {
        Objects.requireNonNull(key, "key");
        if (!key.type().isKeyPair()) {
            throw new IllegalArgumentException("key " + key.handle() + " is a " + key.type()
                    + " secret key; only key pairs have a public half");
        }
        Request request = new Request.GetPublicKey(key.handle());
        String algorithm = Algorithms.jcaKeyAlgorithm(key.type());
        return checked(key, slot.call(login, request, (response, hsm) -> {
            byte[] der = bytes(response, hsm);
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new HsmProtocolException("the HSM sent a public key that is not a valid " + algorithm
                        + " SubjectPublicKeyInfo", slot.clusterId(), hsm, e);
            }
        }));
    }

    @Override
    public Mono<Void> deleteKey(KeyRef key) {
        Objects.requireNonNull(key, "key");
        Request request = new Request.DeleteKey(key.handle());
        return slot.call(login, request, (response, hsm) -> Boolean.TRUE).then()
                .doOnSuccess(v -> slot.keyAvailability.forget(key));
    }

    @Override
    public Mono<byte[]> sign(KeyRef key, SignatureAlgorithm algorithm, byte[] data) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(data, "data");
        long handle = key.handle();
        var mechanism = Algorithms.mechanism(algorithm);
        return checked(key, new RequestCall<byte[]>(slot, login, SlotSessionImpl::bytes) {
            @Override
            Request newRequest() {
                return new Request.Sign(handle, mechanism, data.clone());
            }
        });
    }

    @Override
    public Flux<byte[]> signAll(KeyRef key, SignatureAlgorithm algorithm, Publisher<byte[]> messages, int maxInFlight) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(messages, "messages");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        // flatMapSequential requests maxInFlight messages, then one more per signature consumed,
        // and keeps signatures in message order; each inner Mono holds at most one value.
        return Flux.from(messages).flatMapSequential(m -> sign(key, algorithm, m), maxInFlight, 1);
    }

    @Override
    public Mono<Boolean> verify(KeyRef key, SignatureAlgorithm algorithm, byte[] data, byte[] signature) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signature, "signature");
        long handle = key.handle();
        var mechanism = Algorithms.mechanism(algorithm);
        return checked(key, new RequestCall<Boolean>(slot, login, SlotSessionImpl::verified) {
            @Override
            Request newRequest() {
                return new Request.Verify(handle, mechanism, data.clone(), signature.clone());
            }
        });
    }

    @Override
    public Mono<AeadCiphertext> encrypt(KeyRef key, CipherAlgorithm algorithm, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        long handle = key.handle();
        var mechanism = Algorithms.mechanism(algorithm);
        return checked(key, new RequestCall<AeadCiphertext>(slot, login, SlotSessionImpl::ciphertext) {
            @Override
            Request newRequest() {
                return new Request.Encrypt(handle, mechanism, plaintext.clone(), aad.clone());
            }
        });
    }

    @Override
    public Mono<byte[]> decrypt(KeyRef key, CipherAlgorithm algorithm, AeadCiphertext ciphertext, byte[] aad) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(aad, "aad");
        long handle = key.handle();
        var mechanism = Algorithms.mechanism(algorithm);
        return checked(key, new RequestCall<byte[]>(slot, login, SlotSessionImpl::bytes) {
            @Override
            Request newRequest() {
                return new Request.Decrypt(handle, mechanism, ciphertext.iv(), ciphertext.ciphertext(), aad.clone());
            }
        });
    }

    @Override
    public Mono<byte[]> random(int length) {
        if (length < 1 || length > ProtocolConstants.MAX_RANDOM_LENGTH) {
            throw new IllegalArgumentException("random length must be 1 to " + ProtocolConstants.MAX_RANDOM_LENGTH
                    + ", was " + length);
        }
        return slot.call(login, randomRequest(length), SlotSessionImpl::bytes);
    }

    @Override
    public Mono<Void> logout() {
        return slot.logout(login);
    }

    @Override
    public String toString() {
        return "SlotSession[" + slot.clusterId() + ", user=" + login.username() + "]";
    }

    /** {@code operation}, sent only once the key availability check passes the key. */
    private <T> Mono<T> checked(KeyRef key, Mono<T> operation) {
        return slot.keyAvailability.passes(key) ? operation : slot.keyAvailability.beforeUse(login, key).then(operation);
    }

    /** A new key and the HSM that made it. */
    private record Made(KeyRef key, HsmAddress hsm) {
    }

    /** Random requests of the common lengths, shared: a record of one int needs no copy per call. */
    private static final Request.Random[] RANDOM_REQUESTS = new Request.Random[65];

    private static Request.Random randomRequest(int length) {
        if (length >= RANDOM_REQUESTS.length) {
            return new Request.Random(length);
        }
        Request.Random r = RANDOM_REQUESTS[length];
        if (r == null) {
            // A race makes two equal records, one of which is kept: harmless.
            r = new Request.Random(length);
            RANDOM_REQUESTS[length] = r;
        }
        return r;
    }

    private static Boolean verified(Response response, HsmAddress hsm) {
        if (response instanceof Response.Verified v) {
            return v.valid();
        }
        throw unexpected(response, hsm);
    }

    private static AeadCiphertext ciphertext(Response response, HsmAddress hsm) {
        if (response instanceof Response.Encrypted e) {
            return new AeadCiphertext(e.iv(), e.ciphertext());
        }
        throw unexpected(response, hsm);
    }

    private static byte[] bytes(Response response, HsmAddress hsm) {
        if (response instanceof Response.Bytes b) {
            return b.value();
        }
        throw unexpected(response, hsm);
    }

    private static KeyRef keyRef(Response response, HsmAddress hsm) {
        if (response instanceof Response.KeyInfo k) {
            return toKeyRef(k, hsm);
        }
        throw unexpected(response, hsm);
    }

    private static List<KeyRef> keyList(Response response, HsmAddress hsm) {
        if (response instanceof Response.KeyList l) {
            List<KeyRef> refs = new ArrayList<>(l.keys().size());
            for (Response.KeyInfo k : l.keys()) {
                refs.add(toKeyRef(k, hsm));
            }
            return refs;
        }
        throw unexpected(response, hsm);
    }

    private static KeyRef toKeyRef(Response.KeyInfo k, HsmAddress hsm) {
        if (k.handle() <= 0) {
            throw new HsmProtocolException("the HSM sent key handle " + k.handle(), null, hsm);
        }
        return new KeyRef(k.handle(), k.label(), Algorithms.api(k.keyType()));
    }

    private static HsmProtocolException unexpected(Response response, HsmAddress hsm) {
        return new HsmProtocolException("unexpected answer " + response.getClass().getSimpleName(), null, hsm);
    }
}
