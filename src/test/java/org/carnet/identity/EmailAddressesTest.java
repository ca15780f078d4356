package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;

class EmailAddressesTest {

    @Test
    void oneShapeForEveryForm() {
        assertThat(EmailAddresses.isValid("someone@example.test")).isTrue();
        assertThat(EmailAddresses.isValid("  someone@example.test ")).isTrue();
        assertThat(EmailAddresses.isValid("someone@example")).isFalse();
        assertThat(EmailAddresses.isValid("some one@example.test")).isFalse();
        assertThat(EmailAddresses.isValid("a@b@example.test")).isFalse();
        assertThat(EmailAddresses.isValid("x".repeat(64) + "@" + "y".repeat(185) + ".test"))
                .isFalse();
        assertThat(EmailAddresses.isValid(null)).isFalse();
        assertThat(new EmailAddress.Validator().isValid(null, null)).isTrue();
        assertThat(new EmailAddress.Validator().isValid("someone@example", null))
                .isFalse();
    }

    @Test
    void keptAsTypedButComparedInOneNormalisedForm() {
        assertThat(EmailAddresses.checked(" Someone@Example.TEST ")).isEqualTo("Someone@Example.TEST");
        assertThat(EmailAddresses.normalised(" Someone@Example.TEST ")).isEqualTo("someone@example.test");
        assertThatThrownBy(() -> EmailAddresses.checked("nobody"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageNotContaining("nobody");
    }
}
