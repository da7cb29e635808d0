package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Login states reach a connection in generation order, one LOGIN or LOGOUT on the wire at a time. */
class LoginSequencerTest {

    @Test
    void statesAreReplayedInGenerationOrderAndAnOlderOneCompletesAtOnce() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(16);
        try {
            LoginState alice = LoginState.initial().loginAs("alice", "pw-a".getBytes(StandardCharsets.UTF_8));
            LoginState loggedOut = alice.loggedOut();
            LoginState bob = loggedOut.loginAs("bob", "pw-b".getBytes(StandardCharsets.UTF_8));
            List<String> applied = new ArrayList<>();
            hsm.connection.applyLogin(alice).subscribe(null, e -> applied.add("alice failed: " + e), () -> applied.add("alice"));
            hsm.connection.applyLogin(bob).subscribe(null, e -> applied.add("bob failed: " + e), () -> applied.add("bob"));
            hsm.connection.applyLogin(loggedOut).subscribe(null, e -> applied.add("out failed: " + e), () -> applied.add("out"));

            RequestFrame first = hsm.single();
            assertThat(first.request()).isInstanceOfSatisfying(Request.Login.class,
                    l -> assertThat(l.username()).isEqualTo("alice"));
            assertThat(hsm.written()).as("one at a time").isEmpty();
            hsm.answer(first.requestId(), Opcode.LOGIN, new Response.Done());
            assertThat(applied).containsExactly("alice");

            RequestFrame second = hsm.single();
            assertThat(second.request()).as("bob's login logs alice out first").isInstanceOf(Request.Logout.class);
            hsm.answer(second.requestId(), Opcode.LOGOUT, new Response.Done());

            RequestFrame third = hsm.single();
            assertThat(third.request()).isInstanceOfSatisfying(Request.Login.class,
                    l -> assertThat(l.username()).isEqualTo("bob"));
            hsm.answer(third.requestId(), Opcode.LOGIN, new Response.Done());

            assertThat(applied).as("the older logged-out state completes without a frame").containsExactly("alice", "bob", "out");
            assertThat(hsm.written()).isEmpty();
            assertThat(hsm.connection.loginGeneration()).isEqualTo(bob.generation());
        } finally {
            hsm.close();
        }
    }
}
