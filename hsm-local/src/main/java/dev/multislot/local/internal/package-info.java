/**
 * Implementation of hsm-local: the HSM server, the software token, the certificate authority and
 * the launcher's output. Everything under this package is internal and may change in any release;
 * use the types in {@code dev.multislot.local} instead.
 */
package dev.multislot.local.internal;
