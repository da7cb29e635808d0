/**
 * Faults between a client and an HSM, for tests: {@link dev.multislot.local.faults.FaultProxy} is a
 * TCP proxy on loopback that forwards bytes between a client and one HSM (or any TCP server) and,
 * switched at runtime, delays them, caps their rate, stops forwarding without closing, resets a
 * connection in the middle of a frame, half-closes it, forwards one byte at a time or flips a byte.
 * It sees TLS records, not frames: the faults hit the connection as the network would.
 */
package dev.multislot.local.faults;
