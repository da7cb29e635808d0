package dev.multislot.cli;

import dev.multislot.api.spi.ClusterDiscovery;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code configure-pkcs11}: edits the cluster list of the PKCS#11 config file, as the CloudHSM
 * Client SDK 5 tool of the same name does for multi-slot use.
 */
@Command(name = "configure-pkcs11",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Edit the clusters (slots) of a CloudHSM PKCS#11 config file.",
        subcommands = {AddClusterCommand.class, RemoveClusterCommand.class, ListClustersCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:bad input (a file, cluster id, region or endpoint that is not right)",
                "2:usage (unknown or missing options)",
                "3:the CloudHSM API call failed",
                "4:the config file could not be read or written"})
public final class ConfigurePkcs11 implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add-cluster, remove-cluster or list-clusters");
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
        CommandLine cl = new CommandLine(new ConfigurePkcs11(), new CommandFactory(env, discoveryFactory));
        cl.setOut(out);
        cl.setErr(err);
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
