/**
 * The HSM server: a Reactor Netty TCP server with TLS speaking hsm-protocol, one handler per
 * connection, crypto on a bounded worker pool. Internal: may change in any release.
 */
package dev.multislot.local.internal.server;
