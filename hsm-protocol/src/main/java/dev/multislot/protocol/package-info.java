/**
 * The Multislot HSM wire protocol: frames, opcodes, status codes and the Netty codec that both
 * the connector and hsm-local use. The specification is {@code docs/protocol.md}; this package
 * is its one implementation.
 */
package dev.multislot.protocol;
