package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A LOGIN is encoded from a copy of the password, which a wipe of the state does not reach. */
class LoginStateTest {

    @Test
    void aCopyOutlivesTheWipeOfTheStateAndNoCopyIsGivenAfterIt() {
        LoginState state = LoginState.initial().loginAs("user", "secret".getBytes(StandardCharsets.UTF_8));
        byte[] copy = state.passwordCopy();
        state.wipe();
        assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(state.passwordEquals("secret".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(state.passwordCopy()).as("a wiped state is no longer in force").isNull();
        assertThat(LoginState.initial().passwordCopy()).isNull();
    }
}
