/**
 * The public, stable API of Multislot: a reactive client for many HSM clusters at once.
 *
 * <p>Each configured cluster is one {@link dev.multislot.api.Slot}, as in the PKCS#11
 * multi-slot model of the AWS CloudHSM Client SDK 5. An {@link dev.multislot.api.HsmConnector}
 * holds the slots, a {@link dev.multislot.api.SlotSession} performs operations on one slot's
 * keys. Every operation returns a cold {@code Mono} or {@code Flux}: nothing is sent until it
 * is subscribed to, and every subscription ends exactly once, with a value or with one
 * {@link dev.multislot.api.errors.HsmConnectorException}.
 *
 * <p>This package has no Netty, AWS or Jackson types. Implementations live in other modules;
 * extension points are in {@link dev.multislot.api.spi}.
 */
package dev.multislot.api;
