package dev.multislot.discovery.internal;

/** A lookup after {@code close()}: misuse, reported as is rather than as a discovery failure. */
public final class DiscoveryClosedException extends IllegalStateException {

    public DiscoveryClosedException() {
        super("this AwsClusterDiscovery is closed");
    }
}
