package dev.multislot.connector.internal.slot;

import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.LoadBalancingPolicy;
import dev.multislot.connector.ReconnectionSchedule;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.transport.ConnectionFactory;
import dev.multislot.connector.internal.transport.ConnectorMetrics;
import dev.multislot.connector.internal.time.TimeSource;
import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/**
 * What every slot of a connector shares: the connection factory (and through it the event
 * loops), the timer and file schedulers, the event sink and the fixed connector-wide options.
 *
 * @param timer runs retries after backoff, reconnects and deadlines; tasks must not block
 * @param files runs the blocking reads of certificate and key files
 * @param registry the single thread that owns slot membership, HSM up/down state, breakers' places
 *     in the registry and the policy's hooks
 * @param clock what events are stamped with; the time source's clock unless the user gave one
 * @param breakers makes and removes the HSMs' breakers in the connector's registry
 * @param allHsmsDown told when every HSM of a slot has failed to (re)connect, to refresh its topology
 */
public record SlotContext(ConnectionFactory connections,
                          ConnectorMetrics metrics,
                          EventSink events,
                          Scheduler timer,
                          Scheduler files,
                          Scheduler registry,
                          Clock clock,
                          HsmBreakers breakers,
                          HsmConnectorOptions connectorOptions,
                          Consumer<SlotImpl> allHsmsDown) {

    public LoadBalancingPolicy policy() {
        return connectorOptions.loadBalancingPolicy();
    }

    /** The source of time of every deadline, backoff and wait: the connections'. */
    public TimeSource time() {
        return connections.time();
    }

    /**
     * Runs {@code task} on the registry thread. Once the connector has shut that thread down,
     * runs it here: nothing else runs there any more, and the task only closes what is left.
     */
    public void onRegistry(Runnable task) {
        try {
            registry.schedule(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    ReconnectionSchedule newReconnectionSchedule(SlotOptions options) {
        return connectorOptions.reconnectionSchedules()
                .<ReconnectionSchedule>map(s -> s.get())
                .orElseGet(() -> new ExponentialReconnectionSchedule(options.reconnectDelay(), options.reconnectMaxDelay()));
    }
}
