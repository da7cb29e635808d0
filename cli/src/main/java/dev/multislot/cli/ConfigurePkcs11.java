package dev.multislot.cli;

import dev.multislot.api.spi.ClusterDiscovery;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code configure-pkcs11}: edits the PKCS#11 config file as the CloudHSM Client SDK 5 tool of the
 * same name does: the configure form ({@code -a}, {@code --cluster-id} and the options, without a
 * subcommand) and the multi-slot subcommands.
 */
@Command(name = "configure-pkcs11",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Edit a CloudHSM PKCS#11 config file: its clusters (slots), their options and the SDK's logging.",
                "Without a subcommand: -a sets the servers of the file's one cluster (or of the one --cluster-id names);",
                "--cluster-id alone sets them from DescribeClusters; the options apply to that cluster, else to every cluster."},
        sortOptions = false,
        subcommands = {AddClusterCommand.class, RemoveClusterCommand.class, ListClustersCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:bad input (a file, cluster id, region or endpoint that is not right)",
                "2:usage (unknown or missing options)",
                "3:the CloudHSM API call failed",
                "4:the config file could not be read or written"})
public final class ConfigurePkcs11 implements Callable<Integer> {

    @Option(names = "-a", arity = "1..*", paramLabel = "<HSM ENI IP>",
            description = "Set the cluster's servers to these HSM addresses (port 2223, enabled). With several clusters in the"
                    + " file, --cluster-id names the one to change; with none, a cluster without cluster_id is created.")
    List<String> addresses;

    @Option(names = "--cluster-id", paramLabel = "<CLUSTER ID>",
            description = "Without -a: set the cluster's servers from DescribeClusters (adding the cluster if new)."
                    + " With -a: the cluster -a changes. The options then apply to this cluster only.")
    String clusterId;

    @Option(names = "--region", paramLabel = "<REGION>",
            description = "The cluster's region, with --cluster-id. Default: $AWS_DEFAULT_REGION, else $AWS_REGION, else the"
                    + " active profile's region, else us-east-1.")
    String region;

    @Option(names = "--endpoint", paramLabel = "<ENDPOINT>",
            description = "The CloudHSM API endpoint for DescribeClusters, with --cluster-id; recorded with the cluster.")
    String endpoint;

    @Mixin
    TlsFileOptions tlsFiles;

    @Mixin
    SdkOptionFlags options;

    @Mixin
    LoggingFlags logging;

    @Mixin
    ConfigFileOption configFileOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;
    private final Function<Map<String, String>, ClusterDiscovery> discoveryFactory;

    ConfigurePkcs11(Map<String, String> env, Function<Map<String, String>, ClusterDiscovery> discoveryFactory) {
        this.env = env;
        this.discoveryFactory = discoveryFactory;
    }

    @Override
    public Integer call() {
        boolean servers = addresses != null || clusterId != null;
        if (clusterId == null && (region != null || endpoint != null)) {
            throw CliException.usage((region != null ? "--region" : "--endpoint") + " goes with --cluster-id");
        }
        if (!servers && !options.any() && !logging.any() && tlsFiles.hsmCaCert == null && tlsFiles.clientCertFile == null
                && tlsFiles.clientKeyFile == null) {
            throw CliException.usage("nothing to do: give -a <HSM ENI IP>, --cluster-id <CLUSTER ID>, an option, or a subcommand"
                    + " (add-cluster, remove-cluster, list-clusters)");
        }
        if (addresses != null && (region != null || endpoint != null)) {
            throw CliException.usage((region != null ? "--region" : "--endpoint")
                    + " is for DescribeClusters and does not go with -a");
        }
        tlsFiles.checkPairing();
        options.check();
        Optional<dev.multislot.api.ClusterId> id = Optional.ofNullable(clusterId).map(OptionChecks::clusterId);
        Optional<String> explicitRegion = Optional.ofNullable(region).map(OptionChecks::region);
        List<String> ips = addresses == null ? List.of() : addresses.stream().map(OptionChecks::hsmIp).toList();
        ConfigureForm.Request request = new ConfigureForm.Request(ips, id, explicitRegion, ClusterLookup.endpoint(endpoint),
                tlsFiles.check(), options, logging.any(), logging.checked(), configFileOption.resolve(env));
        return new ConfigureForm(env, discoveryFactory, spec.commandLine().getOut()).run(request);
    }

    /** Runs the tool with the given environment and streams, discovering through AWS; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return run(args, env, out, err, AwsDiscoveryFactory::create);
    }

    /**
     * Runs the tool with the discovery it should use, so that the demo goes through exactly the code
     * of {@code bin/configure-pkcs11} against a local control plane; returns the exit code.
     */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
                          Function<Map<String, String>, ClusterDiscovery> discoveryFactory) {
        return commandLine(env, out, err, discoveryFactory).execute(args);
    }

    /**
     * The command line with the discovery it uses supplied, so the demo runs the real code path
     * against a local control plane with its own credentials.
     */
    private static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err,
                                   Function<Map<String, String>, ClusterDiscovery> discoveryFactory) {
        CommandLine cl = new CommandLine(new ConfigurePkcs11(env, discoveryFactory), new CommandFactory(env, discoveryFactory));
        cl.setOut(out);
        cl.setErr(err);
        // The configure form's options before a subcommand would otherwise be ignored without a word.
        cl.setExecutionStrategy(parseResult -> {
            if (parseResult.hasSubcommand() && !parseResult.matchedOptions().isEmpty()) {
                throw new CommandLine.ParameterException(cl, parseResult.matchedOptions().get(0).longestName()
                        + " belongs to the configure form and does not go before the subcommand "
                        + parseResult.subcommand().commandSpec().name() + "; give it on its own or after the subcommand's name");
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("error: " + ex.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            int code = ErrorReporter.exitCode(ex);
            failed.getErr().println("error: " + ErrorReporter.oneLine(ex));
            failed.getErr().flush();
            return code;
        });
        return cl;
    }

    public static void main(String[] args) {
        Logging.quietUnlessConfigured();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, System.getenv(), out, err);
        out.flush();
        err.flush();
        // Exit at once: the AWS SDK's HTTP client needs ~2 s to shut down gracefully and owns no state worth waiting for.
        System.exit(code);
    }
}
