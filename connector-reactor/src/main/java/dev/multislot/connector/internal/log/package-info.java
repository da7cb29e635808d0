/** Logging helpers that keep the connector's logs quiet. Internal: may change in any release. */
package dev.multislot.connector.internal.log;
