package dev.multislot.connector.internal.slot;

import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.connector.internal.transport.TlsMaterial;

/**
 * What reading a cluster's TLS files gave: the material to connect with, or the error that every
 * HSM of the slot reports until the files are fixed (the slot still exists, so a fix applies live).
 * Exactly one of {@link #material()} and {@link #error()} is non-null.
 */
sealed interface TlsSetup {

    /** The material to connect with, or null when the files could not be used. */
    TlsMaterial material();

    /** Why the files could not be used, or null when they were read. */
    HsmConnectorException error();

    /** The files were read. */
    record Loaded(TlsMaterial material) implements TlsSetup {
        @Override
        public HsmConnectorException error() {
            return null;
        }
    }

    /** The files could not be used; {@code error} says which and why. */
    record Failed(HsmConnectorException error) implements TlsSetup {
        @Override
        public TlsMaterial material() {
            return null;
        }
    }
}
