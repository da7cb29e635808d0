package dev.multislot.connector.internal.transport;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * What one connection needs to know, fixed when it is opened.
 *
 * @param clusterId the cluster, for error messages
 * @param address the HSM
 * @param maxInFlight this client's limit of requests on the wire (the HSM's own applies when lower)
 * @param maxFrameSize this client's frame limit
 * @param clientName sent in HELLO
 * @param controlTimeoutNanos bound on HELLO, LOGIN and LOGOUT
 * @param keepaliveNanos silence after which a PING is sent
 * @param pingTimeoutNanos how long a PING may go unanswered
 * @param tlsDescription which CA file is trusted and which client certificate presented, for TLS errors
 */
public record ConnectionSettings(ClusterId clusterId,
                                 HsmAddress address,
                                 int maxInFlight,
                                 int maxFrameSize,
                                 String clientName,
                                 long controlTimeoutNanos,
                                 long keepaliveNanos,
                                 long pingTimeoutNanos,
                                 String tlsDescription) {
}
