package dev.multislot.connector.internal.slot;

import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.LoadBalancingPolicy;
import dev.multislot.connector.ReconnectionSchedule;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.transport.ConnectionFactory;
import dev.multislot.connector.internal.transport.ConnectorMetrics;
import java.time.Clock;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/**
 * What every slot of a connector shares: the connection factory (and through it the event
 * loops), the timer and file schedulers, the event sink and the fixed connector-wide options.
 *
 * @param timer runs retries after backoff, reconnects and deadlines; tasks must not block
 * @param files runs the blocking reads of certificate and key files
 * @param registry the single thread that owns slot and HSM membership
 * @param allHsmsDown told when every HSM of a slot has failed to (re)connect, to refresh its topology
 */
public record SlotContext(ConnectionFactory connections,
                          ConnectorMetrics metrics,
                          EventSink events,
                          Scheduler timer,
                          Scheduler files,
                          Scheduler registry,
                          Clock clock,
                          HsmConnectorOptions connectorOptions,
                          Consumer<SlotImpl> allHsmsDown) {

    public LoadBalancingPolicy policy() {
        return connectorOptions.loadBalancingPolicy();
    }

    ReconnectionSchedule newReconnectionSchedule(SlotOptions options) {
        return connectorOptions.reconnectionSchedules()
                .<ReconnectionSchedule>map(s -> s.get())
                .orElseGet(() -> new ExponentialReconnectionSchedule(options.reconnectDelay(), options.reconnectMaxDelay()));
    }
}
