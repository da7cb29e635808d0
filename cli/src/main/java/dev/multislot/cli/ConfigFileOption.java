package dev.multislot.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config-file} option every subcommand shares. Without it, the path comes from the
 * {@value #ENV_VAR} environment variable, else the path the CloudHSM SDK 5 uses.
 */
final class ConfigFileOption {

    /** The environment variable that overrides the default config path. */
    static final String ENV_VAR = "MULTISLOT_PKCS11_CONFIG";

    /** Where the CloudHSM Client SDK 5 PKCS#11 library keeps its config. */
    static final Path DEFAULT_PATH = Path.of("/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg");

    @Option(names = "--config-file", paramLabel = "<PATH>",
            description = "The config file to edit. Default: $" + ENV_VAR + ", else " + "/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg.")
    Path configFile;

    Path resolve(Map<String, String> env) {
        if (configFile != null) {
            if (configFile.toString().isEmpty() || configFile.getFileName() == null) {
                throw CliException.badInput("--config-file '" + OptionChecks.shown(configFile.toString())
                        + "': names no file; expected the path of a config file");
            }
            return configFile;
        }
        String fromEnv = env.get(ENV_VAR);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : DEFAULT_PATH;
    }
}
