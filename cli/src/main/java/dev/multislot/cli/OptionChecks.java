package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import java.util.regex.Pattern;

/** Checks of option values that several subcommands share. */
final class OptionChecks {

    /** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-4 ... */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    private OptionChecks() {
    }

    static ClusterId clusterId(String value) {
        if (value == null || value.isBlank() || !ClusterId.of(value).looksLikeAwsClusterId()) {
            throw CliException.badInput("--cluster-id " + (value == null ? "" : value)
                    + ": expected 'cluster-' followed by letters and digits, such as cluster-1234567");
        }
        return ClusterId.of(value);
    }

    static String region(String value) {
        if (!REGION.matcher(value).matches()) {
            throw CliException.badInput("--region " + value + ": expected an AWS region name such as us-east-1");
        }
        return value;
    }
}
