package dev.multislot.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code multislot.*}: where the clusters come from, the crypto user, and every connector option.
 * Options left unset keep the connector's defaults; {@code multislot.slots.<cluster-id>.*} overrides
 * them for one cluster.
 */
@ConfigurationProperties("multislot")
public class MultislotProperties extends SlotOptionProperties {

    /** The SDK 5 style config file that lists the clusters (one slot per cluster). */
    private Path configFile = Path.of("/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg");
    /** Whether to follow edits of the config file while the application runs (hot reload). */
    private boolean watch = true;
    /** How long application start waits for the first config to be applied. */
    private Duration startupTimeout = Duration.ofSeconds(30);
    /** How long shutdown lets in-flight requests finish before failing them. */
    private Duration closeGracePeriod;
    /** Events buffered per slow subscriber of the connector's event flux. */
    private Integer eventBufferSize;
    /** Event-loop threads of the connector's TLS connections. */
    private Integer eventLoopThreads;
    /** The largest frame accepted from an HSM, in bytes. */
    private Integer maxFrameSize;
    /** The client name sent to HSMs in HELLO. */
    private String clientName;
    /** The crypto user the application's sessions log in as. */
    private final User user = new User();
    /** Topology refresh through the CloudHSM DescribeClusters API. */
    private final Discovery discovery = new Discovery();
    /** How each slot chooses among its HSMs. */
    private final LoadBalancing loadBalancing = new LoadBalancing();
    /** Per-cluster overrides of the options above, keyed by cluster id. */
    private final Map<String, SlotOptionProperties> slots = new LinkedHashMap<>();

    public LoadBalancing getLoadBalancing() {
        return loadBalancing;
    }

    public Path getConfigFile() {
        return configFile;
    }

    public void setConfigFile(Path configFile) {
        this.configFile = configFile;
    }

    public boolean isWatch() {
        return watch;
    }

    public void setWatch(boolean watch) {
        this.watch = watch;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public Duration getCloseGracePeriod() {
        return closeGracePeriod;
    }

    public void setCloseGracePeriod(Duration closeGracePeriod) {
        this.closeGracePeriod = closeGracePeriod;
    }

    public Integer getEventBufferSize() {
        return eventBufferSize;
    }

    public void setEventBufferSize(Integer eventBufferSize) {
        this.eventBufferSize = eventBufferSize;
    }

    public Integer getEventLoopThreads() {
        return eventLoopThreads;
    }

    public void setEventLoopThreads(Integer eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    public Integer getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(Integer maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public String getClientName() {
        return clientName;
    }

    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    public User getUser() {
        return user;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    public Map<String, SlotOptionProperties> getSlots() {
        return slots;
    }

    /**
     * The crypto user. The password comes from {@code password} (which Spring also fills from the
     * environment variable {@code MULTISLOT_USER_PASSWORD}) or from {@code password-file}, never
     * both; it is never logged, and {@link #toString()} leaves it out.
     */
    public static class User {

        /** The crypto user's name. */
        private String name;
        /** The crypto user's password (prefer the MULTISLOT_USER_PASSWORD variable or password-file). */
        private String password;
        /** A file whose content (trailing line break removed) is the crypto user's password. */
        private Path passwordFile;
        /**
         * Whether the crypto user logs in to every slot when the application starts, and to each slot a
         * config change adds as it appears. Off: the first session(..) call of a slot logs in. A failed
         * login at start is logged and tried again by that slot's next session(..) call.
         */
        private boolean loginAtStart = true;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Path getPasswordFile() {
            return passwordFile;
        }

        public boolean isLoginAtStart() {
            return loginAtStart;
        }

        public void setLoginAtStart(boolean loginAtStart) {
            this.loginAtStart = loginAtStart;
        }

        public void setPasswordFile(Path passwordFile) {
            this.passwordFile = passwordFile;
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", password=" + (password == null ? "unset" : "(hidden)")
                    + ", passwordFile=" + passwordFile + ", loginAtStart=" + loginAtStart + "]";
        }
    }

    /** DescribeClusters for topology refresh, with the AWS SDK's default credentials and this project's region chain. */
    public static class Discovery {

        /** Whether to create a DescribeClusters discovery (needed for topology-refresh-interval). */
        private boolean enabled;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code multislot.load-balancing.*}. */
    public static class LoadBalancing {
        /**
         * The application's availability zone (e.g. eu-west-1a): when set, each slot sends requests to
         * its HSMs in that zone, and to the others only when none there can take them (zone-aware
         * policy). Unset: the less loaded of two random HSMs (power of two choices).
         */
        private String localZone;

        public String getLocalZone() {
            return localZone;
        }

        public void setLocalZone(String localZone) {
            this.localZone = localZone;
        }
    }
}
