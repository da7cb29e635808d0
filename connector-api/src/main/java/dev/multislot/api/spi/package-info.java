/**
 * Extension points: where a connector gets its cluster list ({@link dev.multislot.api.spi.ClusterConfigSource})
 * and how it finds a cluster's HSMs ({@link dev.multislot.api.spi.ClusterDiscovery}). The
 * {@code config-store} and {@code discovery} modules implement them; tests and users may too.
 */
package dev.multislot.api.spi;
