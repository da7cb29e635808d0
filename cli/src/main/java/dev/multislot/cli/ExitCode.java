package dev.multislot.cli;

/** The exit codes of {@code configure-pkcs11}, as documented in the README. */
public final class ExitCode {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** An option had a bad value: a missing or malformed file, a malformed cluster id, region or endpoint. */
    public static final int BAD_INPUT = 1;
    /** The command line itself is wrong: unknown option, missing required option, options that go together. */
    public static final int USAGE = 2;
    /** The CloudHSM API call failed: cluster not found, access denied, throttled, unreachable, no credentials. */
    public static final int AWS_API_ERROR = 3;
    /** The config file could not be read, parsed, validated or written. */
    public static final int CONFIG_FILE_ERROR = 4;

    private ExitCode() {
    }
}
