package dev.multislot.discovery.internal;

import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Delegates, and tags any failure as {@link CredentialsUnavailableException}. */
final class GuardedCredentialsProvider implements AwsCredentialsProvider {

    private final AwsCredentialsProvider delegate;

    GuardedCredentialsProvider(AwsCredentialsProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return delegate.resolveCredentials();
        } catch (RuntimeException e) {
            throw new CredentialsUnavailableException(e);
        }
    }

    @Override
    public String toString() {
        return "Guarded(" + delegate + ")";
    }
}
