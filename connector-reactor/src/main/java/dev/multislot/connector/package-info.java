/**
 * The Reactor Netty implementation of {@link dev.multislot.api.HsmConnector}.
 *
 * <p>This package holds the few public entry points: {@link dev.multislot.connector.ReactorHsmConnector}
 * (build and connect), {@link dev.multislot.connector.HsmConnectorOptions} with its per-slot
 * settings, and the small policy interfaces a user may replace
 * ({@link dev.multislot.connector.LoadBalancingPolicy},
 * {@link dev.multislot.connector.ReconnectionSchedule}). They are stable. Everything under
 * {@code dev.multislot.connector.internal} is an implementation detail and may change in any
 * release.
 */
package dev.multislot.connector;
