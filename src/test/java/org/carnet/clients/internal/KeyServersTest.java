package org.carnet.clients.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.carnet.clients.KeyServerProperties;
import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a program's key server may be, and that the check holds again when its keys are fetched. */
class KeyServersTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.9.9.9",
                "::1",
                "0.0.0.0",
                "::",
                "10.1.2.3",
                "172.31.255.1",
                "192.168.0.1",
                "169.254.169.254",
                "fe80::1",
                "fd12:3456::1",
                "fc00::1",
                "100.64.0.1",
                "100.127.255.254",
                "224.0.0.1",
                "255.255.255.255",
                "::ffff:10.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "198.18.0.1",
                "192.0.0.8",
                "0.1.2.3"
            })
    void internalAddressesAreRecognised(String address) throws Exception {
        assertThat(InternalAddresses.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"93.184.215.14", "8.8.8.8", "100.63.255.255", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808"
            })
    void publicAddressesAreNot(String address) throws Exception {
        assertThat(InternalAddresses.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void anAllowedHostMayBeInternalAndPlainHttpOthersMayNot() {
        KeyServers allowed = new KeyServers(new KeyServerProperties(List.of("127.0.0.1")));
        assertThat(allowed.checked("http://127.0.0.1:8080/jwks")).hasHost("127.0.0.1");
        assertThatThrownBy(() -> allowed.checked("http://127.0.0.2/jwks")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> allowed.checked("https://10.0.0.1/jwks")).isInstanceOf(InvalidRequestException.class);
        KeyServers none = new KeyServers(new KeyServerProperties(List.of()));
        assertThatThrownBy(() -> none.checked("http://127.0.0.1:8080/jwks"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> none.checked("https://127.0.0.1:8080/jwks"))
                .isInstanceOf(InvalidRequestException.class);
    }

    /** A URL that got past registration (or whose name now resolves inward) is still not fetched. */
    @Test
    void theAddressIsCheckedAgainBeforeEachFetch() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"keys\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            KeyServers none = new KeyServers(new KeyServerProperties(List.of()));
            URI inward = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
            JWKSelector any = new JWKSelector(new JWKMatcher.Builder().build());
            assertThatThrownBy(() -> none.keysAt(inward).get(any, null)).isInstanceOf(KeySourceException.class);
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }
}
