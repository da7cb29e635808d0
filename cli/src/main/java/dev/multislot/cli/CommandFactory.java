package dev.multislot.cli;

import dev.multislot.api.spi.ClusterDiscovery;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** Gives each subcommand the environment and the discovery it runs with. */
final class CommandFactory implements CommandLine.IFactory {

    private final Map<String, String> env;
    private final Function<Map<String, String>, ClusterDiscovery> discovery;

    CommandFactory(Map<String, String> env, Function<Map<String, String>, ClusterDiscovery> discovery) {
        this.env = env;
        this.discovery = discovery;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        if (cls == AddClusterCommand.class) {
            return cls.cast(new AddClusterCommand(env, discovery));
        }
        if (cls == RemoveClusterCommand.class) {
            return cls.cast(new RemoveClusterCommand(env));
        }
        if (cls == ListClustersCommand.class) {
            return cls.cast(new ListClustersCommand(env));
        }
        return CommandLine.defaultFactory().create(cls);
    }
}
