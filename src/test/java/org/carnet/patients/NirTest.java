package org.carnet.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NirTest {

    @ParameterizedTest
    @ValueSource(strings = {"295109912611193", "253072B07300470"})
    void acceptsValidNumbersIncludingCorsica(String number) {
        assertThat(new Nir(number).value()).isEqualTo(number);
    }

    @Test
    void readsCorsicanDepartment2AAs19() {
        // 2A replaced by 19: key = 97 - (1850119001001 mod 97)
        String body = "18501" + "2A" + "001001";
        long key = 97 - Long.parseLong("18501" + "19" + "001001") % 97;
        String number = body + String.format("%02d", key);
        assertThat(new Nir(number).value()).isEqualTo(number);
    }

    @Test
    void refusesAWrongKey() {
        assertThatThrownBy(() -> new Nir("295109912611194"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("has a wrong key");
        assertThatThrownBy(() -> new Nir("253072B07300471")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesCorsicaReadAsAnotherDepartment() {
        // The right key for department 18 is not the right key for 2B read as 18 digit by digit elsewhere.
        assertThatThrownBy(() -> new Nir("253072C07300470")).isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "29510991261119", "2951099126111933", "995109912611193", "29510991261119A"})
    void refusesWrongShapes(String number) {
        assertThatThrownBy(() -> new Nir(number)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void parsesTypedSpacesAndNeverPrintsTheNumber() {
        Nir nir = Nir.parse("2 95 10 99 126 111 93");
        assertThat(nir.value()).isEqualTo("295109912611193");
        assertThat(nir.toString()).doesNotContain("2951");
    }
}
