package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import java.util.regex.Pattern;

/** Checks of option values that several subcommands share. */
final class OptionChecks {

    /** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-4 ... */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /** Longer than any AWS cluster id (cluster- and 11 characters today). */
    private static final int MAX_CLUSTER_ID_LENGTH = 64;

    /** Characters of a bad value an error line shows, at most. */
    static final int MAX_SHOWN = 100;

    private OptionChecks() {
    }

    /** A value as an error line shows it: at most {@value #MAX_SHOWN} characters, control characters as '?'. */
    static String shown(String value) {
        if (value == null) {
            return "";
        }
        String head = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) : value;
        StringBuilder sb = new StringBuilder(head.length() + 32);
        head.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        if (value.length() > MAX_SHOWN) {
            sb.append("... (").append(value.length()).append(" characters)");
        }
        return sb.toString();
    }

    static ClusterId clusterId(String value) {
        // The length first: a 100,000-character id is refused without running a regex over it.
        if (value == null || value.isBlank() || value.length() > MAX_CLUSTER_ID_LENGTH || !ClusterId.of(value).looksLikeAwsClusterId()) {
            throw CliException.badInput("--cluster-id " + shown(value)
                    + ": expected 'cluster-' followed by letters and digits, such as cluster-1234567");
        }
        return ClusterId.of(value);
    }

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** An HSM ENI address for {@code -a}: an IPv4 or IPv6 literal (brackets allowed, not kept). */
    static String hsmIp(String value) {
        String v = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (IPV4.matcher(v).matches()) {
            return v;
        }
        if (v.indexOf(':') >= 0 && IPV6.matcher(v).matches()) {
            try {
                // A literal with a colon is parsed, never looked up.
                java.net.InetAddress.getByName(v);
                return v;
            } catch (java.net.UnknownHostException e) {
                // reported below
            }
        }
        throw badInput("-a " + shown(value) + ": expected the IP address of an HSM's network interface, such as 10.0.1.12 or fd00::12");
    }

    private static CliException badInput(String message) {
        return CliException.badInput(message);
    }

    static String region(String value) {
        if (!REGION.matcher(value).matches()) {
            throw CliException.badInput("--region " + shown(value) + ": expected an AWS region name such as us-east-1");
        }
        return value;
    }
}
