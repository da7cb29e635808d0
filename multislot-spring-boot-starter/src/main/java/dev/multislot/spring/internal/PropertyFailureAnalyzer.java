package dev.multislot.spring.internal;

import dev.multislot.spring.MultislotPropertyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused {@code multislot.*} value into Spring Boot's start-up failure report. */
public final class PropertyFailureAnalyzer extends AbstractFailureAnalyzer<MultislotPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MultislotPropertyException cause) {
        return new FailureAnalysis("Invalid Multislot setting " + cause.getMessage(),
                "Fix '" + cause.property() + "' in the application's configuration (see the property's description "
                        + "in the IDE or docs/spring-boot.md).", cause);
    }
}
