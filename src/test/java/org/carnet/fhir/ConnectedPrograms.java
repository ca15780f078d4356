package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.nimbusds.jose.jwk.ECKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.clients.Programs;
import org.carnet.support.Api;

/**
 * Third-party programs as an integrator connects one: registered by the establishment's administrator,
 * approved by a security officer, then a token obtained with a client assertion signed by the program's
 * own ES384 key, and HAPI's generic client carrying it.
 */
final class ConnectedPrograms {

    /** A connected program: its client id, its name, its current token and a FHIR client using it. */
    record Program(String clientId, String name, String token, IGenericClient fhir) {}

    private final Api api;
    private final String base;
    private final String adminToken;
    private final String officerToken;
    private final Map<String, ECKey> keys = new java.util.concurrent.ConcurrentHashMap<>();

    ConnectedPrograms(Api api, String base, String adminToken, String officerToken) {
        this.api = api;
        this.base = base;
        this.adminToken = adminToken;
        this.officerToken = officerToken;
    }

    /** A program granted these scopes (space-separated), holding a token for all of them. */
    Program connect(String scopes) {
        ECKey key = Programs.ecKey();
        String name = "Logiciel " + UUID.randomUUID().toString().substring(0, 8);
        Api.Response requested = api.post(
                "/api/v1/establishment/clients",
                Map.of(
                        "name",
                        name,
                        "purpose",
                        "Synchronises the practice's agenda",
                        "scopes",
                        List.of(scopes.split(" ")),
                        "jwks",
                        Programs.publicJwks(key)),
                adminToken);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String id = requested.body().get("clientId").asString();
        assertThat(api.post("/api/v1/security/clients/" + id + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(200);
        keys.put(id, key);
        String accessToken = accessToken(id, key, scopes);
        return new Program(id, name, accessToken, fhir(accessToken));
    }

    /** The program again, with a new token for these scopes (a program's tokens last 5 minutes). */
    Program refreshed(Program program, String scopes) {
        String accessToken = accessToken(program.clientId(), keys.get(program.clientId()), scopes);
        return new Program(program.clientId(), program.name(), accessToken, fhir(accessToken));
    }

    private String accessToken(String clientId, ECKey key, String scopes) {
        String tokenEndpoint = base + "/oauth2/token";
        Programs.Answer token = Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                key, Programs.claims(clientId, tokenEndpoint).build()),
                        scopes));
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        return token.body().get("access_token").asString();
    }

    IGenericClient fhir(String accessToken) {
        FhirValidation.R4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = FhirValidation.R4.newRestfulGenericClient(base + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
        return client;
    }
}
