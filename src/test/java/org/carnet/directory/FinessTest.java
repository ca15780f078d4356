package org.carnet.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FinessTest {

    @ParameterizedTest
    @ValueSource(strings = {"750712184", "330781196"})
    void acceptsRealShapedNumbersWithTheirLuhnKey(String number) {
        assertThat(new Finess(number).value()).isEqualTo(number);
    }

    @Test
    void refusesAWrongCheckDigit() {
        assertThatThrownBy(() -> new Finess("750712185"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("check digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "75071218", "7507121845", "75071218X", "2C0712184", "ab0712184"})
    void refusesWrongShapes(String number) {
        assertThatThrownBy(() -> new Finess(number)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> new Finess(null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void buildsValidNumbersIncludingCorsica() {
        assertThat(Finess.of("69", 1234).value()).hasSize(9).startsWith("69");
        assertThat(Finess.of("2A", 42).value()).startsWith("2A");
        assertThat(new Finess(Finess.of("2B", 7).value())).isNotNull();
    }
}
