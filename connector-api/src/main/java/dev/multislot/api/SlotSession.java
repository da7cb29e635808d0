package dev.multislot.api;

import java.security.PublicKey;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The operations a logged-in crypto user can perform on one slot's keys.
 *
 * <p>Every method returns a cold publisher: the request is sent when it is subscribed to, and
 * each subscription sends it again. Every subscription ends exactly once, with a value or one
 * {@link dev.multislot.api.errors.HsmConnectorException}. Cancelling a subscription frees its
 * place at once; the HSM may still carry out a request that had already left.
 *
 * <p>Reads and stateless crypto ({@code sign}, {@code verify}, {@code encrypt}, {@code decrypt},
 * {@code random}, {@code findKeys}, {@code publicKey}) are retried on another HSM of the slot when
 * one fails. Operations that change the key store ({@code generateKey}, {@code deleteKey}) are
 * retried only when the request provably never reached an HSM; otherwise they fail with
 * {@link dev.multislot.api.errors.HsmOutcomeUnknownException}.
 *
 * <p>Byte arrays passed in are not modified and may be reused once the publisher has been
 * subscribed to.
 */
public interface SlotSession {

    /** The slot this session belongs to. */
    Slot slot();

    /** The logged-in user's name. */
    String username();

    /**
     * Generates a key in the cluster: a secret key for {@link KeyType#AES_256} and
     * {@link KeyType#HMAC_SHA256}, a key pair for the others.
     *
     * @param label a label to find the key by later; may be empty, at most 127 characters
     */
    Mono<KeyRef> generateKey(KeyType type, String label);

    /** The keys whose label equals {@code label}, in handle order. */
    Flux<KeyRef> findKeys(String label);

    /** All keys of the cluster, in handle order. */
    Flux<KeyRef> listKeys();

    /** The key with this handle, or {@link dev.multislot.api.errors.KeyNotFoundException}. */
    Mono<KeyRef> key(long handle);

    /** The public half of a key pair, as a JCA key. */
    Mono<PublicKey> publicKey(KeyRef key);

    /** Deletes a key from the cluster. */
    Mono<Void> deleteKey(KeyRef key);

    /** Signs (or MACs) {@code data} with the key; the HSM hashes it. */
    Mono<byte[]> sign(KeyRef key, SignatureAlgorithm algorithm, byte[] data);

    /**
     * Signs a stream of messages, in order, with at most {@code maxInFlight} requests outstanding:
     * the flux requests more messages from {@code messages} only as signatures are consumed, so a
     * slow consumer slows the source, never fills memory. Signature {@code i} belongs to message
     * {@code i}. The first failure ends the flux.
     */
    Flux<byte[]> signAll(KeyRef key, SignatureAlgorithm algorithm, Publisher<byte[]> messages, int maxInFlight);

    /** Whether {@code signature} is a valid signature (or MAC) of {@code data} under the key. */
    Mono<Boolean> verify(KeyRef key, SignatureAlgorithm algorithm, byte[] data, byte[] signature);

    /**
     * Encrypts with a fresh IV chosen by the HSM.
     *
     * @param aad additional authenticated data, possibly empty
     */
    Mono<AeadCiphertext> encrypt(KeyRef key, CipherAlgorithm algorithm, byte[] plaintext, byte[] aad);

    /**
     * Decrypts and checks the tag; a wrong key, IV, AAD or a modified ciphertext fails with
     * {@link dev.multislot.api.errors.DataInvalidException}.
     */
    Mono<byte[]> decrypt(KeyRef key, CipherAlgorithm algorithm, AeadCiphertext ciphertext, byte[] aad);

    /** Random bytes from the HSM's generator; {@code length} from 1 to 65536. */
    Mono<byte[]> random(int length);

    /**
     * Logs the user out of the slot: every connection of the slot drops the login, and this and
     * every other session of the slot stop working.
     */
    Mono<Void> logout();
}
