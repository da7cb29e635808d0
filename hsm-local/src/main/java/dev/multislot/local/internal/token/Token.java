package dev.multislot.local.internal.token;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;

/**
 * What the HSM server's connections hand their key and crypto requests to: one token per cluster,
 * shared by all its HSMs. Implementations are thread-safe and may block (a PKCS#11 module does),
 * so the server calls them on its bounded worker pool only, never on an event loop.
 *
 * <p>Login state is the connection's business, not the token's: callers check it before they hand
 * a request over.
 */
public interface Token extends AutoCloseable {

    /**
     * Executes one key or crypto request (GENERATE_KEY ... RANDOM). HELLO, PING, LOGIN and LOGOUT
     * are the connection's and are refused.
     *
     * @throws TokenException with the status to answer when the request cannot be served
     */
    Response execute(Request request) throws TokenException;

    /** How many keys the token holds that the protocol can address. May block. */
    int keyCount();

    /** What backs the token, for logs and the launcher: {@code software} or {@code pkcs11}. */
    String kind();

    /** Releases the token's sessions; the keys stay where they live. Idempotent. */
    @Override
    void close();
}
