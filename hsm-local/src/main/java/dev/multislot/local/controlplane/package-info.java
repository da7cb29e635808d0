/**
 * A fake AWS CloudHSM v2 control plane on loopback: {@link dev.multislot.local.controlplane.LocalControlPlane}
 * answers {@code DescribeClusters} in the AWS JSON 1.1 protocol, so that the real AWS SDK client can
 * be pointed at it with an endpoint override. Tests use it to check discovery end to end: regions,
 * filters, pagination, HSM states, injected errors and latency, and what the SDK actually sent.
 *
 * <p>It checks no signature: it reads the region from the SigV4 credential scope and nothing else.
 * It is a test fixture, not a security boundary; it listens on 127.0.0.1 only.
 */
package dev.multislot.local.controlplane;
