package dev.multislot.cli.demo;

import dev.multislot.cli.LocalBackend;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo cannot say OK for a step that did not happen (issue 18, deliverable 2). */
class DemoStepsIT {

    @Test
    void aStepWhoseEventNeverComesFailsTheDemoNamingTheStep() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            // --json: the demo's progress and step lines go to stderr, captured here.
            // The add-cluster step's action is replaced by one that does nothing: no SlotAdded can come.
            Demo demo = new Demo(Duration.ofSeconds(5), 4, true, LocalBackend.SOFTWARE, null).replacingSteps(step -> step.name().startsWith("add-cluster")
                    ? new ScriptedStep(step.name(), step.expected(), step.happened(), () -> { }, Duration.ofSeconds(2))
                    : step);
            code = demo.run();
        } finally {
            System.setErr(original);
        }
        String printed = err.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isEqualTo(1);
        assertThat(printed).contains("demo: step 'add-cluster cluster-charlie3 (hot reload: no restart)' did not happen:"
                + " no SlotAdded for cluster-charlie3 within 2 s");
        assertThat(printed).contains(">>> add-cluster cluster-charlie3")
                .as("the steps after it do not run").doesNotContain(">>> kill HSM");
    }
}
