/**
 * Implementation of the connector: the slot registry that applies config updates, the event bus,
 * topology refresh and the runtime that ties them together.
 *
 * <p>Everything under {@code dev.multislot.connector.internal} is an implementation detail. It may
 * change in any release, without notice; use {@link dev.multislot.connector} and
 * {@link dev.multislot.api} instead.
 */
package dev.multislot.connector.internal;
