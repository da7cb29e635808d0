package dev.multislot.cli.demo;

import dev.multislot.api.SlotEvent;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * One step of the demo's script: what it does, and the connector event that shows it happened.
 * The demo waits for that event within a bound after the action; a step whose event does not come
 * makes the demo exit 1 naming it, so the demo cannot report OK for something that did not happen.
 *
 * @param name what the step is, as printed ("add-cluster cluster-charlie3")
 * @param expected the event that shows it happened, as printed ("SlotAdded for cluster-charlie3")
 * @param happened whether an event is that one
 * @param action what the step does
 * @param bound how long its event may take to come after the action
 */
record ScriptedStep(String name, String expected, Predicate<SlotEvent> happened, Action action, Duration bound) {

    /** How long a step's event may take to come: a reload, a failure detection, a reconnect or a drain. */
    static final Duration BOUND = Duration.ofSeconds(20);

    /** The step's action; may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** A step with the default {@link #BOUND}. */
    ScriptedStep(String name, String expected, Predicate<SlotEvent> happened, Action action) {
        this(name, expected, happened, action, BOUND);
    }

    /** The error that ends the demo when the event does not come. */
    IllegalStateException missed() {
        return new IllegalStateException("step '" + name + "' did not happen: no " + expected + " within "
                + bound.toSeconds() + " s");
    }
}
