/**
 * What {@code bin/multislot local} prints about the clusters it started, as text or as one JSON
 * line. Internal: may change in any release.
 */
package dev.multislot.local.internal.launch;
