package dev.multislot.connector.internal.transport;

/**
 * Counts the requests of one HSM that are on their way: told once when a request entry is
 * created and once when it ends, whichever way it ends (answer, error, timeout, cancel, closed
 * connection).
 */
public interface InFlightTracker {

    InFlightTracker NONE = new InFlightTracker() {
        @Override
        public void started() {
        }

        @Override
        public void ended() {
        }
    };

    void started();

    void ended();
}
