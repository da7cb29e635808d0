package dev.multislot.testkit;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that gives a test class a running hsm-local {@link LocalCluster}, a
 * {@link ReactorHsmConnector} connected to it and a {@link SlotSession} logged in to its slot.
 *
 * <p>Lifecycle, per test class: in {@code beforeAll} the cluster starts (HSMs on ephemeral
 * loopback ports), the connector connects and logs in; in {@code afterAll} the connector is closed
 * and awaited, then the cluster is closed (its ports refuse and its temporary directory is gone).
 * If a step of the start fails, what was started is closed again and the class fails with an
 * {@link IllegalStateException} naming the step, the test class and the cause.
 *
 * <p>Test methods, {@code @BeforeAll}/{@code @AfterAll} (after this extension's own start) and
 * constructors may declare parameters of these types, all shared by the class's tests:
 * {@link SlotSession} (logged in as the crypto user), {@link Slot}, {@link HsmConnector} or
 * {@link ReactorHsmConnector}, and {@link LocalCluster} (for its fault switches,
 * {@code cluster.hsm(0).faults()}, and for stopping and starting HSMs).
 *
 * <p>Register it with {@link MultislotTest @MultislotTest(hsms = 2)}, or, for more settings, in a
 * <em>static</em> field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MultislotExtension multislot = MultislotExtension.builder()
 *         .hsms(2)
 *         .cluster(spec -> spec.maxConcurrentOperations(1))
 *         .options(options -> options.retryMode(RetryMode.OFF))
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#connector(Consumer)} reaches the connector's builder for what the options do not
 * hold: a {@code MeterRegistry}, an {@code ObservationRegistry}, a {@code CircuitBreakerRegistry},
 * or a Reactor {@code VirtualTimeScheduler} as the connector's timer, which puts every deadline,
 * backoff and breaker wait of the connector on virtual time while its connections stay real.
 * {@link Builder#clusterConfig(UnaryOperator)} changes the config entry the connector gets for the
 * cluster, for example its {@code ClusterOptions}.
 *
 * <p>The connector's options start from {@link #testOptions()}: timeouts and breaker windows
 * sized for tests. Tests that share the session should not log out; those that change the
 * cluster (stop an HSM, turn on a fault) should undo it, as the next test gets the same cluster.
 *
 * <p>Thread-safe for the way JUnit calls it. Starting and closing block: JUnit calls them on its
 * own thread, never on an event loop.
 */
public final class MultislotExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** HSMs in the cluster unless set. */
    public static final int DEFAULT_HSMS = 1;
    /** How long the connector may take to connect, and the login to complete, unless set: 20 seconds. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
    /** How long closing waits for the requests still in flight unless set: 1 second. */
    public static final Duration DEFAULT_CLOSE_GRACE_PERIOD = Duration.ofSeconds(1);

    /** Beyond the grace period, how long closing may take before it is reported as stuck. */
    private static final Duration CLOSE_TIMEOUT_SLACK = Duration.ofSeconds(10);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MultislotExtension.class);
    private static final List<Class<?>> INJECTED = List.of(SlotSession.class, Slot.class, HsmConnector.class,
            ReactorHsmConnector.class, LocalCluster.class);

    private final Settings fixed;
    private volatile Environment started;

    /** Used by {@link MultislotTest}: the settings come from the annotation on the test class. */
    public MultislotExtension() {
        this.fixed = null;
    }

    private MultislotExtension(Settings settings) {
        this.fixed = settings;
    }

    /** A builder with every default: one HSM, {@link #testOptions()}, the cluster's default crypto user. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The connector options the extension starts from: two event-loop threads, a 5 s request and
     * 2 s attempt and connect timeout, reconnects after 50 ms (at most 500 ms), 2 s drain and close
     * grace, and a breaker over 20 calls (at least 10) that stays open 500 ms. A new builder on
     * each call.
     */
    public static HsmConnectorOptions.Builder testOptions() {
        return HsmConnectorOptions.builder()
                .eventLoopThreads(2)
                .requestTimeout(Duration.ofSeconds(5))
                .attemptTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(2))
                .reconnectDelay(Duration.ofMillis(50))
                .reconnectMaxDelay(Duration.ofMillis(500))
                .drainGracePeriod(Duration.ofSeconds(2))
                .closeGracePeriod(Duration.ofSeconds(2))
                .breaker(b -> b.slidingWindowSize(20).minimumNumberOfCalls(10)
                        .waitDurationInOpenState(Duration.ofMillis(500)));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Settings settings = fixed != null ? fixed : fromAnnotation(context);
        Environment environment = Environment.start(settings, context.getDisplayName());
        started = environment;
        context.getStore(NAMESPACE).put(Environment.class, environment);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Environment environment = context.getStore(NAMESPACE).remove(Environment.class, Environment.class);
        started = null;
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Environment environment = context.getStore(NAMESPACE).get(Environment.class, Environment.class);
        if (environment == null) {
            throw new ParameterResolutionException("MultislotExtension has not started for " + context.getDisplayName()
                    + ": register it on the class (@MultislotTest or a static @RegisterExtension field), not on an"
                    + " instance field");
        }
        return environment.get(parameter.getParameter().getType());
    }

    /** The cluster of the class running now. @throws IllegalStateException outside {@code beforeAll..afterAll} */
    public LocalCluster cluster() {
        return running().cluster;
    }

    /** The connector of the class running now. @throws IllegalStateException outside {@code beforeAll..afterAll} */
    public ReactorHsmConnector connector() {
        return running().connector;
    }

    /** The cluster's slot. @throws IllegalStateException outside {@code beforeAll..afterAll} */
    public Slot slot() {
        return running().slot;
    }

    /** The logged-in session. @throws IllegalStateException outside {@code beforeAll..afterAll} */
    public SlotSession session() {
        return running().session;
    }

    private Environment running() {
        Environment environment = started;
        if (environment == null) {
            throw new IllegalStateException("MultislotExtension is not running: it starts in beforeAll and stops in"
                    + " afterAll of the class whose static field holds it");
        }
        return environment;
    }

    private static Settings fromAnnotation(ExtensionContext context) {
        int hsms = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MultislotTest.class)
                .map(MultislotTest::hsms).orElse(DEFAULT_HSMS);
        return new Builder().hsms(hsms).settings();
    }

    /** What one class runs against; immutable. */
    private record Settings(int hsms, Consumer<LocalClusterSpec.Builder> cluster,
            Consumer<HsmConnectorOptions.Builder> options, Consumer<ReactorHsmConnector.Builder> connector,
            UnaryOperator<ClusterConfig> clusterConfig, String username, String password,
            Duration startTimeout, Duration closeGracePeriod) {

        @Override
        public String toString() {
            // The password stays out: settings may end up in a failure report.
            return "Settings[hsms=" + hsms + ", username=" + username + ", startTimeout=" + startTimeout
                    + ", closeGracePeriod=" + closeGracePeriod + "]";
        }
    }

    /** The started cluster, connector and session of one test class. */
    private static final class Environment {
        private final LocalCluster cluster;
        private final ReactorHsmConnector connector;
        private final Slot slot;
        private final SlotSession session;
        private final Duration closeGracePeriod;

        private Environment(LocalCluster cluster, ReactorHsmConnector connector, Slot slot, SlotSession session,
                Settings settings) {
            this.cluster = cluster;
            this.connector = connector;
            this.slot = slot;
            this.session = session;
            this.closeGracePeriod = settings.closeGracePeriod();
        }

        static Environment start(Settings settings, String testClass) {
            LocalCluster cluster;
            try {
                LocalClusterSpec.Builder spec = LocalClusterSpec.builder().hsmCount(settings.hsms()).port(0);
                settings.cluster().accept(spec);
                if (settings.username() != null) {
                    spec.user(settings.username(), settings.password());
                }
                cluster = LocalCluster.start(spec.build());
            } catch (RuntimeException e) {
                throw failed(testClass, "cannot start the local cluster of " + settings.hsms() + " HSM(s)", e);
            }
            ReactorHsmConnector connector = null;
            try {
                HsmConnectorOptions.Builder options = testOptions();
                settings.options().accept(options);
                ClusterConfig config = call(testClass, "the clusterConfig customizer failed",
                        () -> Objects.requireNonNull(settings.clusterConfig().apply(config(cluster)), "it returned null"));
                ReactorHsmConnector.Builder builder = ReactorHsmConnector.builder().options(options.build())
                        .configSource(ClusterConfigSource.fixed(List.of(config)));
                settings.connector().accept(builder);
                ReactorHsmConnector built = builder.build();
                connector = built;
                String step = "the connector did not connect to cluster " + cluster.clusterId() + " at "
                        + cluster.hsms() + " within " + settings.startTimeout();
                call(testClass, step, () -> built.connect().block(settings.startTimeout()));
                Slot slot = built.slot(ClusterId.of(cluster.clusterId())).orElseThrow(() -> new IllegalStateException(
                        "the connector has no slot for cluster " + cluster.clusterId()));
                String user = settings.username() != null ? settings.username() : LocalClusterSpec.DEFAULT_USERNAME;
                char[] password = (settings.username() != null ? settings.password() : LocalClusterSpec.DEFAULT_PASSWORD)
                        .toCharArray();
                SlotSession session = call(testClass, "login as " + user + " to cluster " + cluster.clusterId() + " failed",
                        () -> slot.login(Credentials.of(user, password)).block(settings.startTimeout()));
                return new Environment(cluster, built, slot, session, settings);
            } catch (RuntimeException e) {
                closeQuietly(connector, settings.closeGracePeriod(), e);
                try {
                    cluster.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        private static <T> T call(String testClass, String step, Supplier<T> action) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                throw failed(testClass, step, e);
            }
        }

        private static IllegalStateException failed(String testClass, String step, RuntimeException cause) {
            return new IllegalStateException("MultislotExtension could not start for " + testClass + ": " + step + ": "
                    + cause, cause);
        }

        private static void closeQuietly(ReactorHsmConnector connector, Duration grace, RuntimeException failure) {
            if (connector == null) {
                return;
            }
            try {
                connector.close(grace).block(grace.plus(CLOSE_TIMEOUT_SLACK));
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
        }

        private static ClusterConfig config(LocalCluster cluster) {
            List<ServerConfig> servers = cluster.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList();
            return new ClusterConfig(ClusterId.of(cluster.clusterId()), Optional.empty(), cluster.caFile(), servers,
                    Optional.empty(), Optional.empty());
        }

        Object get(Class<?> type) {
            if (type == SlotSession.class) {
                return session;
            }
            if (type == Slot.class) {
                return slot;
            }
            if (type == LocalCluster.class) {
                return cluster;
            }
            return connector; // HsmConnector or ReactorHsmConnector
        }

        /** Closes the connector and waits for it, then the cluster; the cluster is closed even if the first fails. */
        void close() {
            try {
                connector.close(closeGracePeriod).block(closeGracePeriod.plus(CLOSE_TIMEOUT_SLACK));
            } finally {
                cluster.close();
            }
        }
    }

    /** Builds a {@link MultislotExtension}. Not thread-safe; the extension it builds is immutable. */
    public static final class Builder {
        private int hsms = DEFAULT_HSMS;
        private Consumer<LocalClusterSpec.Builder> cluster = spec -> { };
        private Consumer<HsmConnectorOptions.Builder> options = o -> { };
        private Consumer<ReactorHsmConnector.Builder> connector = b -> { };
        private UnaryOperator<ClusterConfig> clusterConfig = UnaryOperator.identity();
        private String username;
        private String password;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration closeGracePeriod = DEFAULT_CLOSE_GRACE_PERIOD;

        private Builder() {
        }

        /** HSMs in the cluster, 1..32. Default {@value #DEFAULT_HSMS}. */
        public Builder hsms(int hsms) {
            if (hsms < 1 || hsms > LocalClusterSpec.MAX_HSM_COUNT) {
                throw new IllegalArgumentException("hsms must be 1.." + LocalClusterSpec.MAX_HSM_COUNT + ", was " + hsms);
            }
            this.hsms = hsms;
            return this;
        }

        /**
         * Changes the cluster's spec after the extension has set the HSM count and port 0 (ephemeral
         * ports): limits, fault-related capacity, a SoftHSM2 or PKCS#11 {@code token(...)}, IPv6.
         * Default: nothing changed.
         */
        public Builder cluster(Consumer<LocalClusterSpec.Builder> customizer) {
            this.cluster = Objects.requireNonNull(customizer, "cluster");
            return this;
        }

        /** Changes the connector's options, starting from {@link MultislotExtension#testOptions()}. Default: nothing changed. */
        public Builder options(Consumer<HsmConnectorOptions.Builder> customizer) {
            this.options = Objects.requireNonNull(customizer, "options");
            return this;
        }

        /**
         * Changes the connector's builder after the extension has given it the options and the
         * cluster's config: a meter, observation or breaker registry, a clock, or a timer such as a
         * {@code VirtualTimeScheduler}. The extension's waits for connecting and the login are real
         * time. Closing waits for pending requests on the connector's timer: with a virtual timer, a
         * class whose tests may leave requests pending sets
         * {@link #closeGracePeriod(Duration) closeGracePeriod(Duration.ZERO)}. Default: nothing changed.
         */
        public Builder connector(Consumer<ReactorHsmConnector.Builder> customizer) {
            this.connector = Objects.requireNonNull(customizer, "connector");
            return this;
        }

        /**
         * Changes the cluster's config entry before the connector gets it: its {@code ClusterOptions}
         * (the key availability check, for example) or its servers; a new {@code ClusterConfig} built
         * from the one given can change the rest. The entry given names the cluster's id, CA file and
         * every HSM. Returning null fails the class's start, naming this customizer. Default: unchanged.
         */
        public Builder clusterConfig(UnaryOperator<ClusterConfig> customizer) {
            this.clusterConfig = Objects.requireNonNull(customizer, "clusterConfig");
            return this;
        }

        /**
         * The crypto user the cluster has and the session logs in as. Default: the cluster's
         * {@code crypto_user} with its well-known test password.
         */
        public Builder user(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long connecting, and then the login, may each take. Default 20 seconds. */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** How long closing the connector waits for requests in flight. Default 1 second. */
        public Builder closeGracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "closeGracePeriod");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGracePeriod must not be negative, was " + grace);
            }
            this.closeGracePeriod = grace;
            return this;
        }

        public MultislotExtension build() {
            return new MultislotExtension(settings());
        }

        private Settings settings() {
            return new Settings(hsms, cluster, options, connector, clusterConfig, username, password, startTimeout,
                    closeGracePeriod);
        }
    }
}
