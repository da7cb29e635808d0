package dev.multislot.connector.internal.metrics.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.channel.ChannelMetricsRecorder;

/**
 * Reactor Netty's connection meters ({@code reactor.netty.tcp.client.*}, the names and tags
 * Reactor Netty itself uses) recorded on the user's registry: Reactor Netty's own recorder would
 * write to Micrometer's global registry, which the connector never touches. Opt-in
 * ({@code MetricsOptions.reactorNettyMetrics}), since it records on every read and write. Its meters
 * stay until the connector closes.
 */
final class ChannelMeters implements ChannelMetricsRecorder {

    private static final String PREFIX = "reactor.netty.tcp.client";

    private final MeterRegistry registry;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ChannelMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Removes the meters this recorder made (on the connector's close). */
    void close() {
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().startsWith(PREFIX) && seen.contains(m.getId().getTag("remote.address"))) {
                registry.remove(m);
            }
        }
    }

    private String address(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            String text = inet.getHostString() + ":" + inet.getPort();
            seen.add(text);
            return text;
        }
        return String.valueOf(a);
    }

    @Override
    public void recordDataReceived(SocketAddress remote, long bytes) {
        DistributionSummary.builder(PREFIX + ".data.received").baseUnit("bytes").tag("remote.address", address(remote))
                .tag("uri", "tcp").register(registry).record(bytes);
    }

    @Override
    public void recordDataSent(SocketAddress remote, long bytes) {
        DistributionSummary.builder(PREFIX + ".data.sent").baseUnit("bytes").tag("remote.address", address(remote))
                .tag("uri", "tcp").register(registry).record(bytes);
    }

    @Override
    public void incrementErrorsCount(SocketAddress remote) {
        Counter.builder(PREFIX + ".errors").tag("remote.address", address(remote)).tag("uri", "tcp")
                .register(registry).increment();
    }

    @Override
    public void recordTlsHandshakeTime(SocketAddress remote, Duration time, String status) {
        timer(".tls.handshake.time", remote, status).record(time);
    }

    @Override
    public void recordConnectTime(SocketAddress remote, Duration time, String status) {
        timer(".connect.time", remote, status).record(time);
    }

    @Override
    public void recordResolveAddressTime(SocketAddress remote, Duration time, String status) {
        timer(".address.resolver", remote, status).record(time);
    }

    private Timer timer(String suffix, SocketAddress remote, String status) {
        return Timer.builder(PREFIX + suffix).tag("remote.address", address(remote)).tag("status", status)
                .register(registry);
    }
}
