package dev.multislot.local.internal.pkcs11;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Status;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_RW_SESSION;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKF_SERIAL_SESSION;

/**
 * A bounded pool of read-write sessions on one token. A PKCS#11 session runs one operation at a
 * time, so each worker borrows one for a whole init-and-finish sequence. Sessions are opened
 * lazily up to the bound; a worker that finds none free waits at most {@link #BORROW_WAIT}, then
 * the request is answered HSM_BUSY (nothing was done, so the client may retry).
 */
final class SessionPool implements AutoCloseable {

    static final Duration BORROW_WAIT = Duration.ofSeconds(2);

    private final PKCS11 p11;
    private final long slot;
    private final int max;
    private final ArrayBlockingQueue<Long> idle;
    private int opened;
    private boolean closed;
    private long anchor = -1;

    SessionPool(PKCS11 p11, long slot, int max) {
        this.p11 = p11;
        this.slot = slot;
        this.max = max;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    /**
     * Opens the anchor session, which is never lent out: the token's login lasts while any
     * session is open, so the pool may close a worker session (after a failed call) without
     * logging the token out.
     */
    long openAnchor() throws PKCS11Exception {
        anchor = open();
        return anchor;
    }

    /**
     * Closes a session instead of giving it back: after a failed call a module may leave an
     * operation active on it (CKR_BUFFER_TOO_SMALL does), and the next borrower would get
     * CKR_OPERATION_ACTIVE.
     */
    void discard(long session) {
        closeQuietly(session);
        release();
    }

    long borrow() throws TokenException {
        Long s = idle.poll();
        if (s != null) {
            return s;
        }
        if (reserve()) {
            try {
                return open();
            } catch (PKCS11Exception e) {
                release();
                throw CkrStatus.fail("C_OpenSession", e);
            }
        }
        try {
            s = idle.poll(BORROW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(Status.HSM_BUSY, "interrupted while waiting for a PKCS#11 session");
        }
        if (s == null) {
            throw new TokenException(Status.HSM_BUSY, "all " + max + " PKCS#11 sessions are busy");
        }
        return s;
    }

    void giveBack(long session) {
        synchronized (this) {
            // Under the lock, so that close() cannot drain the queue between the check and the offer.
            if (!closed && idle.offer(session)) {
                return;
            }
        }
        closeQuietly(session);
    }

    private synchronized boolean reserve() {
        if (closed || opened >= max) {
            return false;
        }
        opened++;
        return true;
    }

    private synchronized void release() {
        opened--;
    }

    private long open() throws PKCS11Exception {
        return p11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, null, null);
    }

    private void closeQuietly(long session) {
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception e) {
            // The token may already have dropped it; nothing else to release.
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Long s;
        while ((s = idle.poll()) != null) {
            closeQuietly(s);
        }
        if (anchor != -1) {
            closeQuietly(anchor);
        }
    }
}
