/**
 * {@link dev.multislot.api.spi.ClusterDiscovery} on the AWS SDK v2 CloudHSM v2 client:
 * {@link dev.multislot.discovery.AwsClusterDiscovery} finds clusters' HSMs with
 * {@code DescribeClusters}, and {@link dev.multislot.discovery.RegionResolver} chooses the region
 * to ask when none is given. Everything under {@code internal} may change without notice.
 */
package dev.multislot.discovery;
