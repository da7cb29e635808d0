package dev.multislot.cli;

import dev.multislot.cli.demo.DemoCommand;
import dev.multislot.cli.soak.SoakCommand;
import dev.multislot.cli.service.ServiceCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code multislot}: the project's own launcher. {@code demo} runs the main job; {@code service} runs the
 * signing-service example on hsm-local; {@code local} runs hsm-local's HSMs and control plane until stopped.
 */
@Command(name = "multislot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Multislot: many HSM clusters from one reactive service.",
        subcommands = {DemoCommand.class, SoakCommand.class, ServiceCommand.class, CommandLine.HelpCommand.class})
public final class MultislotMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: demo, soak, service or local");
    }

    public static void main(String[] args) throws Exception {
        Logging.quietUnlessConfigured();
        if (args.length > 0 && args[0].equals("local")) {
            // hsm-local has its own command line; it runs until SIGTERM or Ctrl-C.
            dev.multislot.local.LocalMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        CommandLine cl = new CommandLine(new MultislotMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage() + " (see 'multislot "
                    + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help')");
            return ExitCode.USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
