/**
 * One HSM connection: Reactor Netty TCP with TLS, the HELLO handshake, request multiplexing by
 * request id, flush coalescing, keepalive, and the per-request entry whose single atomic state
 * guarantees that each request ends exactly once.
 *
 * <p>Implementation detail; may change in any release.
 */
package dev.multislot.connector.internal.transport;
