/**
 * One slot: its HSM nodes and their connection supervisors, circuit breakers, load balancing,
 * login state, the request state machine (retry, failover, limits, timeouts) and the session API.
 *
 * <p>Implementation detail; may change in any release.
 */
package dev.multislot.connector.internal.slot;
