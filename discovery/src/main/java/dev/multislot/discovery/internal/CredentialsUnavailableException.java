package dev.multislot.discovery.internal;

/**
 * Marks a failure of the credentials provider, so that it can be told apart from other client
 * errors however the SDK wraps it on the way out.
 */
final class CredentialsUnavailableException extends RuntimeException {

    CredentialsUnavailableException(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
