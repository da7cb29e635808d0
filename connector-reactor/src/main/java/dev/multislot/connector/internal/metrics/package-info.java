/**
 * What the connector records about its work (requests, attempts, retries, state gauges), behind
 * small interfaces whose default does nothing. Internal: may change in any release.
 */
package dev.multislot.connector.internal.metrics;
