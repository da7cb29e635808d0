package dev.multislot.connector;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ConfigDiff;
import dev.multislot.api.spi.ConfigUpdate;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** A config source driven by the test: replays the config in force, then each change. */
final class TestConfigSource implements ClusterConfigSource {

    private final Sinks.Many<ConfigUpdate> changes = Sinks.many().replay().latest();
    private List<ClusterConfig> current;

    TestConfigSource(List<ClusterConfig> initial) {
        current = List.copyOf(initial);
        emit(new ConfigUpdate.Loaded("test", current, ConfigDiff.between(List.of(), current)));
    }

    synchronized void set(List<ClusterConfig> next) {
        ConfigDiff diff = ConfigDiff.between(current, next);
        current = List.copyOf(next);
        emit(new ConfigUpdate.Loaded("test", current, diff));
    }

    synchronized void reject(String problem) {
        emit(new ConfigUpdate.Rejected("test", problem));
    }

    private void emit(ConfigUpdate update) {
        changes.emitNext(update, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    @Override
    public Flux<ConfigUpdate> updates() {
        return changes.asFlux();
    }

    @Override
    public void close() {
        changes.tryEmitComplete();
    }
}
