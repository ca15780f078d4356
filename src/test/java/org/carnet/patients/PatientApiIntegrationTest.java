package org.carnet.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

@CarnetIntegrationTest
class PatientApiIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    int accounts() {
        return jdbc.sql("SELECT COUNT(*) FROM patient_accounts")
                        .query(Integer.class)
                        .single()
                + jdbc.sql("SELECT COUNT(*) FROM user_accounts")
                        .query(Integer.class)
                        .single();
    }

    @Test
    void registersSignsInAndReadsTheOwnProfile() {
        Map<String, Object> registration = Fixtures.aRegistration();
        registration.put("nir", "253072B07300470");

        Api.Response received = api.post("/api/v1/patients", registration, null);
        assertThat(received.status()).isEqualTo(202);
        assertThat(received.raw())
                .as("nothing that tells a new account from an existing one")
                .isEmpty();

        Api.Response token = api.post(
                "/api/v1/auth/token",
                Map.of("email", registration.get("email"), "password", registration.get("password")),
                null);
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.body().get("expires_in").asInt()).isEqualTo(900);

        Api.Response me = api.get("/api/v1/me", token.body().get("access_token").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("firstName").asString()).isEqualTo("Testfirst");
        assertThat(me.body().get("birthDate").asString()).isEqualTo("1990-02-03");
        assertThat(me.body().get("nirOnFile").asBoolean()).isTrue();
        assertThat(me.raw()).doesNotContain("253072B07300470");
    }

    @Test
    void theEmailIsMatchedWhateverItsCase() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String upper = ((String) registration.get("email")).toUpperCase(java.util.Locale.ROOT);
        assertThat(api.token(upper, (String) registration.get("password"))).startsWith("ct1.");
    }

    @Test
    void wrongCredentialsGiveTheSame401WhetherTheAccountExistsOrNot() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);

        Api.Response wrongPassword = api.post(
                "/api/v1/auth/token",
                Map.of("email", registration.get("email"), "password", "not the right password"),
                null);
        Api.Response unknownEmail = api.post(
                "/api/v1/auth/token",
                Map.of("email", "nobody-here@example.test", "password", "not the right password"),
                null);

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownEmail.status()).isEqualTo(401);
        assertThat(wrongPassword.body().get("detail"))
                .isEqualTo(unknownEmail.body().get("detail"));
        assertThat(wrongPassword.body().get("type"))
                .isEqualTo(unknownEmail.body().get("type"));
    }

    @Test
    void everyKindOfBadInputGives400NamingTheFieldAndStoresNothing() {
        int before = accounts();
        Map<String, List<String>> expectations = Map.of(
                "email", List.of("not-an-email", "x".repeat(250) + "@example.test"),
                "password", List.of("short", "y".repeat(129), "qwerty123456"),
                "firstName", List.of("", "z".repeat(101)),
                "birthDate", List.of("2999-01-01", "1800-01-01"),
                "sex", List.of("Q", "female"),
                "phone", List.of("call me", "1".repeat(30)),
                "nir", List.of("295109912611194", "12345", "253072B07300471"));
        expectations.forEach((field, values) -> values.forEach(value -> {
            Map<String, Object> registration = Fixtures.aRegistration();
            registration.put(field, value);
            Api.Response response = api.post("/api/v1/patients", registration, null);
            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.body()
                            .get("errors")
                            .valueStream()
                            .map(e -> e.get("field").asString()))
                    .as(field)
                    .contains(field);
            assertThat(response.raw())
                    .as("the answer does not echo the input")
                    .doesNotContain(value.isEmpty() ? "\u0000" : value);
        }));
        assertThat(accounts()).isEqualTo(before);
    }

    @Test
    void malformedBodiesGive400() {
        int before = accounts();
        Map<String, Object> unknownField = Fixtures.aRegistration();
        unknownField.put("role", "ADMIN");
        Map<String, Object> badDate = Fixtures.aRegistration();
        badDate.put("birthDate", "03/02/1990");

        for (Object body : List.of(unknownField, badDate, "[]", "{\"email\":", "")) {
            Api.Response response = api.post("/api/v1/patients", body, null);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body().get("title").asString()).isNotBlank();
        }
        assertThat(accounts()).isEqualTo(before);
    }
}
