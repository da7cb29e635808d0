package dev.multislot.spring.internal;

import dev.multislot.connector.ReactorHsmConnector;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the connector when the application starts and closes it, with its drain grace, when the
 * application stops.
 *
 * <p>The phase puts the connector's start before the web server's and its stop after the web
 * server's graceful shutdown, so requests the server is still finishing can use their HSMs.
 */
public final class ConnectorLifecycle implements SmartLifecycle {

    /** Below the web server's graceful-shutdown phase ({@code DEFAULT_PHASE - 2048}): starts earlier, stops later. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(ConnectorLifecycle.class);

    private final ReactorHsmConnector connector;
    private final Duration startupTimeout;
    private final AtomicBoolean running = new AtomicBoolean();

    public ConnectorLifecycle(ReactorHsmConnector connector, Duration startupTimeout) {
        this.connector = connector;
        this.startupTimeout = startupTimeout;
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            // Start-up runs on the application's main thread: waiting here is what makes the bean ready for use.
            connector.connect().block(startupTimeout);
            log.info("Multislot connector started with {} slot(s): {}", connector.slots().size(),
                    connector.slots().stream().map(s -> s.clusterId().value()).toList());
        }
    }

    @Override
    public void stop(Runnable callback) {
        if (!running.compareAndSet(true, false)) {
            callback.run();
            return;
        }
        Duration grace = connector.options().closeGracePeriod();
        log.info("Multislot connector closing: in-flight requests have {} to finish", grace);
        connector.close(grace).subscribe(null, e -> {
            log.warn("Multislot connector closed with an error: {}", e.toString());
            callback.run();
        }, callback);
    }

    @Override
    public void stop() {
        Duration grace = connector.options().closeGracePeriod();
        if (running.compareAndSet(true, false)) {
            connector.close(grace).block(grace.plusSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
