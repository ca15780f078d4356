package org.carnet.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** Redirect URIs a program may register: https with a host, or http to the loopback IP literal only. */
class RedirectUrisTest {

    @Test
    void httpsAndTheLoopbackLiteralAreAccepted() {
        assertThat(RedirectUris.checked(List.of(
                        "https://agenda.example/carnet/callback",
                        "https://agenda.example:8443/cb?practice=1",
                        "http://127.0.0.1:53682/callback",
                        "http://[::1]:53682/callback")))
                .hasSize(4);
    }

    @Test
    void everythingElseIsRefusedWithoutEchoingIt() {
        for (String uri : List.of(
                "http://agenda.example/callback",
                "http://localhost:53682/callback",
                "https://agenda.example/callback#fragment",
                "https://user:pw@agenda.example/callback",
                "https://*.agenda.example/callback",
                "HTTPS://agenda.example/callback",
                "javascript:alert(1)",
                "com.example.app:/callback",
                "/relative/callback",
                "https:///no-host",
                "https://agenda.example/a b",
                "https://agenda.example/" + "a".repeat(RedirectUris.MAX_LENGTH))) {
            assertThatThrownBy(() -> RedirectUris.checked(List.of(uri)))
                    .as(uri)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageNotContaining(uri);
        }
        assertThatThrownBy(() -> RedirectUris.checked(List.of("https://a.example/cb", "https://a.example/cb")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> RedirectUris.checked(List.of(
                        "https://a.example/1",
                        "https://a.example/2",
                        "https://a.example/3",
                        "https://a.example/4",
                        "https://a.example/5",
                        "https://a.example/6")))
                .isInstanceOf(InvalidRequestException.class);
    }
}
