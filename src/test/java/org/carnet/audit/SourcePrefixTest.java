package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourcePrefixTest {

    @Test
    void anIpv4AddressIsKeptAsItsSlash24() {
        assertThat(SourcePrefix.of("203.0.113.57")).isEqualTo("203.0.113.0/24");
        assertThat(SourcePrefix.of("198.51.100.255")).isEqualTo("198.51.100.0/24");
    }

    @Test
    void anIpv6AddressIsKeptAsItsSlash48() {
        assertThat(SourcePrefix.of("2001:db8:85a3:8d3:1319:8a2e:370:7348")).isEqualTo("2001:db8:85a3::/48");
        assertThat(SourcePrefix.of("[2001:db8:ff00:42::8329%eth0]")).isEqualTo("2001:db8:ff00::/48");
        assertThat(SourcePrefix.of("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0::/48");
    }

    @Test
    void anIpv4MappedIpv6AddressIsCutAsIpv4() {
        assertThat(SourcePrefix.of("::ffff:192.0.2.128")).isEqualTo("192.0.2.0/24");
    }

    @Test
    void whatIsNoAddressLiteralIsNotKeptAtAll() {
        assertThat(SourcePrefix.of("unix:/run/carnet.sock")).isNull();
        assertThat(SourcePrefix.of("patient.example.org")).isNull();
        assertThat(SourcePrefix.of(null)).isNull();
    }
}
