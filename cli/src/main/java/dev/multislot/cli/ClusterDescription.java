package dev.multislot.cli;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.config.SdkLogging;

/** How the CLI shows a cluster's SDK options and the file's logging settings, one line each. */
final class ClusterDescription {

    private ClusterDescription() {
    }

    static String options(ClusterOptions o) {
        return "key availability check " + (o.keyAvailabilityCheck() ? "on" : "off")
                + ", validate key at init " + (o.validateKeyAtInit() ? "on" : "off")
                + ", default retry mode " + o.defaultRetryMode().orElse("(connector default)");
    }

    static String files(ClusterConfig c) {
        return ", CA " + c.hsmCaFile() + (c.hasClientCertificate() ? ", client certificate " + c.clientCertFile().orElseThrow() : "");
    }

    static String logging(SdkLogging l) {
        return "log_type=" + l.logType().orElse("-") + " log_file=" + l.logFile().orElse("-")
                + " log_level=" + l.logLevel().orElse("-") + " log_interval=" + l.logInterval().orElse("-");
    }
}
