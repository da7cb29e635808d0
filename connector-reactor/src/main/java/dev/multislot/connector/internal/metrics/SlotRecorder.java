package dev.multislot.connector.internal.metrics;

import dev.multislot.api.HsmAddress;
import dev.multislot.protocol.Opcode;
import reactor.core.CoreSubscriber;

/**
 * One slot's reports from the request path. Each method is one call at one place of a request's
 * life (see {@code docs/observability.md}); none allocates unless an observation is recorded.
 */
public interface SlotRecorder {

    /** Records nothing. */
    SlotRecorder NOOP = new SlotRecorder() {
        @Override
        public Object requestStarted(Opcode operation, CoreSubscriber<?> subscriber) {
            return null;
        }

        @Override
        public void requestEnded(Object token, Opcode operation, long nanos, HsmAddress hsm, Throwable error) {
        }

        @Override
        public void attemptEnded(HsmAddress hsm, long nanos, Outcome outcome) {
        }

        @Override
        public void retried(RetryReason reason) {
        }

        @Override
        public void hsmAdded(HsmAddress hsm) {
        }

        @Override
        public void hsmRemoved(HsmAddress hsm) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * A request was subscribed to. Returns what {@link #requestEnded} needs back (the request's
     * observation), or null; {@code subscriber}'s context is read only when observing. The timer's
     * duration is the caller's ({@code nanos} at the end), from the first request on.
     */
    Object requestStarted(Opcode operation, CoreSubscriber<?> subscriber);

    /**
     * A request ended, once: {@code error} null for success, {@link Outcome#CANCELLED_SIGNAL} for
     * a subscriber's cancel. {@code hsm} is the last HSM tried, or null.
     */
    void requestEnded(Object token, Opcode operation, long nanos, HsmAddress hsm, Throwable error);

    /** One attempt on one HSM ended: an answer (its status's outcome) or an error. */
    void attemptEnded(HsmAddress hsm, long nanos, Outcome outcome);

    /** A request is tried again: after a busy answer, or on another HSM after a failed attempt. */
    void retried(RetryReason reason);

    /** An HSM joined the slot (a second node of the same address, as after a TLS change, counts once). */
    void hsmAdded(HsmAddress hsm);

    /** A node of an HSM left; its meters go with the last one. */
    void hsmRemoved(HsmAddress hsm);

    /** The slot is gone: its meters are removed. */
    void close();
}
