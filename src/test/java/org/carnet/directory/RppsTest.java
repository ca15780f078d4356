package org.carnet.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RppsTest {

    @Test
    void acceptsElevenDigitsWithALuhnKey() {
        assertThat(new Rpps("10000000009").value()).isEqualTo("10000000009");
        assertThat(Rpps.of(1_234_567_890L).value()).hasSize(11).startsWith("1234567890");
    }

    @Test
    void refusesAWrongCheckDigit() {
        assertThatThrownBy(() -> new Rpps("10000000008"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("check digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1000000000", "100000000081", "1000000000A", " 1000000000"})
    void refusesWrongShapes(String number) {
        assertThatThrownBy(() -> new Rpps(number))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("11 digits");
    }
}
