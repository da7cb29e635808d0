/**
 * hsm-local: a stand-in for a CloudHSM deployment on loopback, for tests, the demo and users' own
 * tests. {@link dev.multislot.local.LocalCluster} starts a cluster of HSM servers that speak the
 * Multislot wire protocol over TLS, share one software key store, and have their own CA;
 * {@link dev.multislot.local.LocalMain} runs clusters from the command line
 * ({@code bin/multislot local}). Types in this package are the stable entry points; everything
 * under {@code dev.multislot.local.internal} may change.
 */
package dev.multislot.local;
