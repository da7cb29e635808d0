package dev.multislot.cli.soak;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.faults.FaultProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One cluster of the soak: a local cluster whose every HSM sits behind its own {@link FaultProxy};
 * the config lists the proxies. Used by the chaos thread only.
 */
final class SoakCluster implements AutoCloseable {

    static final int HSMS = 3;

    private final LocalCluster cluster;
    private final List<FaultProxy> proxies;
    /** The HSM the chaos is disturbing now (at most one per cluster), or -1. */
    int disturbed = -1;
    /** What is being done to it, to undo at the next turn. */
    Disturbance disturbance;
    boolean inService;
    boolean leaving;

    private SoakCluster(LocalCluster cluster, List<FaultProxy> proxies) {
        this.cluster = cluster;
        this.proxies = proxies;
    }

    static SoakCluster start(String clusterId, Path directory) {
        LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().clusterId(clusterId).hsmCount(HSMS)
                .directory(directory).build());
        List<FaultProxy> proxies = new ArrayList<>();
        try {
            for (var hsm : cluster.hsms()) {
                proxies.add(FaultProxy.start(hsm.host(), hsm.port()));
            }
        } catch (RuntimeException e) {
            proxies.forEach(FaultProxy::close);
            cluster.close();
            throw e;
        }
        return new SoakCluster(cluster, List.copyOf(proxies));
    }

    ClusterId id() {
        return ClusterId.of(cluster.clusterId());
    }

    LocalCluster local() {
        return cluster;
    }

    FaultProxy proxy(int hsm) {
        return proxies.get(hsm);
    }

    /** The config entry: every server is a proxy; {@code disabled} (or -1) is written with {@code "enable": false}. */
    ClusterConfig config(int disabled) {
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < proxies.size(); i++) {
            servers.add(new ServerConfig(proxies.get(i).host(), proxies.get(i).port(), i != disabled));
        }
        return new ClusterConfig(id(), Optional.of("us-east-1"), cluster.caFile(), servers, Optional.empty(), Optional.empty());
    }

    @Override
    public void close() {
        proxies.forEach(FaultProxy::close);
        cluster.close();
    }

    /** What the chaos does to one HSM for one turn. */
    enum Disturbance { KILLED, STALLED, SLOWED, DISABLED_IN_CONFIG }
}
