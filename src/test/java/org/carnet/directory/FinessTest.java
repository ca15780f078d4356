package org.carnet.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource({"69, 1234, 690012349", "2A, 42, 2A0000420", "2B, 7, 2B0000073"})
    void buildsANumberWithItsCheckDigitIncludingCorsica(String department, int serial, String expected) {
        Finess built = Finess.of(department, serial);

        assertThat(built.value()).isEqualTo(expected);
        assertThat(new Finess(expected)).isEqualTo(built);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2A0000421", "2B0000074"})
    void refusesACorsicanNumberWithAWrongCheckDigit(String number) {
        assertThatThrownBy(() -> new Finess(number))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("check digit");
    }
}
