package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The cluster's key availability check refused a key: fewer than two HSMs of the slot hold it
 * (the CloudHSM SDK's {@code disable_key_availability_check: false}, its default). Raised when a
 * key held by one HSM only is used, and when a new key has not reached a second HSM within the
 * request timeout (the key was made; it may reach the others later). Nothing was sent with the key.
 * A slot of a single HSM never raises it; a cluster's {@code options} may turn the check off.
 */
public class KeyAvailabilityException extends HsmConnectorException {

    private final long keyHandle;
    private final int holders;
    private final int hsms;

    /**
     * @param keyHandle the key refused
     * @param holders how many of the slot's HSMs were found holding it
     * @param hsms how many HSMs the slot has
     */
    public KeyAvailabilityException(String message, ClusterId clusterId, long keyHandle, int holders, int hsms) {
        super(message, clusterId, null, null);
        this.keyHandle = keyHandle;
        this.holders = holders;
        this.hsms = hsms;
    }

    /** The handle of the key refused. */
    public long keyHandle() {
        return keyHandle;
    }

    /** How many of the slot's HSMs hold the key, as counted when it was refused. */
    public int holders() {
        return holders;
    }

    /** How many HSMs the slot had then. */
    public int hsms() {
        return hsms;
    }
}
