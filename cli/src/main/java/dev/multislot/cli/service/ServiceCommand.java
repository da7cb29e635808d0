package dev.multislot.cli.service;

import dev.multislot.cli.LocalBackend;
import dev.multislot.cli.StopOnSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multislot service}: the signing-service example, live on hsm-local. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = {"Start hsm-local (two clusters and a CloudHSM control plane), add both clusters to a config file",
                "with configure-pkcs11, and run the signing-service example (Spring WebFlux, the Multislot starter)",
                "on 127.0.0.1 against that file. Prints one JSON line when ready: url, clusters, config_file,",
                "log_file. Runs until stopped (Ctrl-C or SIGTERM)."})
public final class ServiceCommand implements Callable<Integer> {

    /** Set by bin/multislot: where the signing service's executable jar is. */
    static final String JAR_PROPERTY = "multislot.signing-service.jar";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080",
            description = "The HTTP port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--backend", defaultValue = "software",
            description = "What keeps each cluster's keys: software (in memory) or softhsm2 (a real PKCS#11 token per"
                    + " cluster). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + ": expected 0 to 65535");
        }
        LocalBackend tokens = LocalBackend.named(backend).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "--backend " + backend + ": expected software or softhsm2"));
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            spec.commandLine().getErr().println("error: the signing service's jar is missing"
                    + (jar == null ? "" : " (" + jar + ")") + "; build it with 'mvn -pl examples/signing-service -am install -DskipTests'");
            return 1;
        }
        SigningServiceLauncher launcher = new SigningServiceLauncher(Path.of(jar), port, tokens, spec.commandLine().getErr());
        return StopOnSignal.run("service-shutdown", Duration.ofSeconds(40), launcher::stop, launcher::run);
    }
}
