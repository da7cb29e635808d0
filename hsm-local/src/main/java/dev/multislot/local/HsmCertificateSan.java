package dev.multislot.local;

/**
 * What the subjectAltName of each HSM's server certificate names; set it with
 * {@link LocalClusterSpec.Builder#hsmCertificateSan(HsmCertificateSan)}. Anything but the default
 * exists to test a client's host name check: a client that checks the address it dialled against
 * the certificate must refuse {@link #NONE} and {@link #OTHER_ADDRESS}, and one that does not check
 * must still accept them, since they are signed by the cluster's CA.
 */
public enum HsmCertificateSan {

    /** The HSM's IP address and its id as a DNS name, as a CloudHSM HSM's certificate does. The default. */
    HSM_ADDRESS,

    /** No subjectAltName extension at all: only the subject's CN, the HSM id, names the HSM. */
    NONE,

    /**
     * The IP address {@value #OTHER_ADDRESS_TEXT} (TEST-NET-1, never a loopback address) and the
     * HSM id as a DNS name: a well-formed certificate that names another host than the one dialled.
     */
    OTHER_ADDRESS;

    /** The address {@link #OTHER_ADDRESS} certificates name. */
    public static final String OTHER_ADDRESS_TEXT = "192.0.2.1";
}
