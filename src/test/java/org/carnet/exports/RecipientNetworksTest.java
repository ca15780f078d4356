package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;

class RecipientNetworksTest {

    @Test
    void anAddressInsideADeclaredNetworkIsExpectedAndOneOutsideIsNot() {
        RecipientNetworks networks = RecipientNetworks.parse(List.of("198.51.100.0/24", "2001:db8:40::/48"));

        assertThat(networks.allow("198.51.100.7")).isTrue();
        assertThat(networks.allow("198.51.100.255")).isTrue();
        assertThat(networks.allow("198.51.101.7")).isFalse();
        assertThat(networks.allow("203.0.113.7")).isFalse();
        assertThat(networks.allow("2001:db8:40:ffff::1")).isTrue();
        assertThat(networks.allow("2001:db8:41::1")).isFalse();
        assertThat(networks.allow("0:0:0:0:0:ffff:c633:6407"))
                .as("IPv4-mapped 198.51.100.7")
                .isTrue();
    }

    @Test
    void aPrefixThatIsNotAWholeByteIsMatchedBitByBit() {
        RecipientNetworks networks = RecipientNetworks.parse(List.of("10.20.32.0/20"));

        assertThat(networks.allow("10.20.32.1")).isTrue();
        assertThat(networks.allow("10.20.47.254")).isTrue();
        assertThat(networks.allow("10.20.48.1")).isFalse();
        assertThat(networks.allow("10.20.31.255")).isFalse();
    }

    @Test
    void aSingleAddressIsItsOwnNetwork() {
        RecipientNetworks networks = RecipientNetworks.parse(List.of(" 192.0.2.10 ", "::1"));

        assertThat(networks.cidrs()).containsExactly("192.0.2.10/32", "0:0:0:0:0:0:0:1/128");
        assertThat(networks.allow("192.0.2.10")).isTrue();
        assertThat(networks.allow("192.0.2.11")).isFalse();
        assertThat(networks.allow("0:0:0:0:0:0:0:1")).isTrue();
    }

    @Test
    void noNetworkDeclaredMeansAnywhere() {
        assertThat(RecipientNetworks.parse(null).anywhere()).isTrue();
        assertThat(RecipientNetworks.parse(List.of()).allow("203.0.113.7")).isTrue();
    }

    @Test
    void whatTheServerCannotReadAsAnAddressIsNeverExpected() {
        RecipientNetworks networks = RecipientNetworks.parse(List.of("127.0.0.0/8"));

        assertThat(networks.allow(null)).isFalse();
        assertThat(networks.allow("localhost")).isFalse();
        assertThat(networks.allow("127.0.0.256")).isFalse();
    }

    @Test
    void aWrongNetworkIsRefusedNamingTheField() {
        for (String wrong : List.of(
                "example.org",
                "localhost/8",
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/",
                "10.0.0.0/ 8",
                "300.1.1.1",
                "010.0.0.1",
                "10.0.0",
                "0.0.0.0/0",
                "10.0.0.0/7",
                "::/0",
                "2001:db8::/31",
                "10.0.0.5/8",
                "2001:db8::1/64",
                "")) {
            assertThatThrownBy(() -> RecipientNetworks.parse(List.of(wrong)))
                    .as(wrong)
                    .isInstanceOf(InvalidRequestException.class)
                    .extracting(e -> ((InvalidRequestException) e).field())
                    .isEqualTo("recipientNetworks");
        }
        assertThatThrownBy(() -> RecipientNetworks.parse(Collections.nCopies(17, "10.0.0.0/8")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theSameNetworkTwiceIsKeptOnce() {
        assertThat(RecipientNetworks.parse(List.of("10.0.0.0/8", "10.0.0.0/8")).cidrs())
                .containsExactly("10.0.0.0/8");
    }
}
