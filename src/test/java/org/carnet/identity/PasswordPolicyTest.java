package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void acceptsALongUncommonPassphrase() {
        assertThatCode(() -> policy.check("correct horse battery staple")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("ééééééééééé€")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwerty123456", "QWERTY123456", "1qaz2wsx3edc", "123qweasdzxc", "leavemealone"})
    void refusesCommonPasswordsWhateverTheirCase(String password) {
        assertThatThrownBy(() -> policy.check(password))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("most commonly used")
                .hasMessageNotContaining(password);
    }

    @Test
    void refusesTooShortAndTooLongOnes() {
        assertThatThrownBy(() -> policy.check("elevenchars")).hasMessageContaining("at least 12");
        assertThatThrownBy(() -> policy.check("x".repeat(129))).hasMessageContaining("at most 128");
        assertThatThrownBy(() -> policy.check(null)).isInstanceOf(InvalidRequestException.class);
    }
}
