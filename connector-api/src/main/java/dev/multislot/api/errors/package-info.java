/**
 * The exceptions Multislot reports. Everything the HSMs, the network, discovery or the config
 * cause is an {@link dev.multislot.api.errors.HsmConnectorException}; misuse of the API (a null
 * argument, a length out of range) is a plain {@link java.lang.IllegalArgumentException} or
 * {@link java.lang.NullPointerException}, thrown at once.
 *
 * <p>No message ever contains a password, a PIN or key material.
 */
package dev.multislot.api.errors;
