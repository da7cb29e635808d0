package dev.multislot.bench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One figure of one client in one scenario, over its trials (JMH forks): each trial's value, in
 * run order. The summary reports the mean and, for ratios, the range the trials span.
 *
 * @param values each trial's value; never empty
 */
record Trials(List<Double> values) {

    Trials {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no trials");
        }
    }

    /** The trials of {@code values} that are numbers; null if none is. */
    static Trials of(List<Double> values) {
        List<Double> known = new ArrayList<>(values.stream().filter(Objects::nonNull).toList());
        return known.isEmpty() ? null : new Trials(known);
    }

    /** These trials followed by {@code more}'s. */
    Trials plus(Trials more) {
        List<Double> all = new ArrayList<>(values);
        all.addAll(more.values);
        return new Trials(all);
    }

    double mean() {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    int count() {
        return values.size();
    }
}
