package org.carnet.apidocs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the document that belong to no controller: its description, the server, the tags,
 * the bearer scheme and the shared components (the problem-details schema, the headers).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";
    static final String ACCEPT_LANGUAGE = "Accept-Language";
    static final String RETRY_AFTER = "Retry-After";
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String LOCATION = "Location";

    @Bean
    OpenAPI carnetOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Carnet API")
                        .version("v1")
                        .description("""
                                Appointment booking for patients and the software of their practices.

                                Sign in with `POST /api/v1/auth/token` and send the token as `Authorization: Bearer …` \
                                (it lasts 15 minutes). Every error is an RFC 7807 problem detail \
                                (`application/problem+json`); validation errors list each field in `errors`, and no \
                                message echoes what was sent. Labels (specialties) and field validation messages are in \
                                French, or in English with `Accept-Language: en`.""")
                        .contact(new Contact().name("Carnet").url("https://carnet.example")))
                .servers(List.of(new Server()
                        .url("http://localhost:8080")
                        .description("A Carnet started with ./mvnw spring-boot:run; point clients at your own Carnet")))
                .tags(List.of(
                        tag("Authentication", "Bearer tokens: sign in, sign out."),
                        tag("Patients", "Patient accounts: registration and the signed-in patient's profile."),
                        tag("Directory", "Specialties and practitioners, with their establishments and visit motives."),
                        tag("Scheduling", "Free slots, booking, reading, moving and cancelling appointments."),
                        tag(
                                "Access log",
                                "Who accessed which data: the patient's own log, the establishment's search, the"
                                        + " security officer's verification of the audit chains."),
                        tag(
                                "Exports",
                                "An establishment's data for a named recipient: requested by its administrator,"
                                        + " approved by a security officer, downloaded once, encrypted to the"
                                        + " recipient's OpenPGP key and fingerprinted."),
                        tag(
                                "Teleconsultation keys",
                                "The signed, append-only key directory of patients', practitioners' and"
                                        + " establishments' public keys (docs/e2e.md)."),
                        tag(
                                "Teleconsultations",
                                "A teleconsultation's key wrapped to its patient, practitioner and establishment, and"
                                        + " the patient's end-to-end encrypted questionnaire answers (docs/e2e.md)."),
                        tag(
                                "Questionnaires",
                                "Pre-consultation forms defined by practitioners and establishments and attached to"
                                        + " teleconsultation motives."),
                        tag(
                                "Third-party programs",
                                "Programs connected to Carnet's FHIR API (SMART Backend Services): registered by an"
                                        + " establishment's administrator, approved, suspended or revoked by a security"
                                        + " officer. Programs get their own tokens from /oauth2/token (see docs/api.md)."),
                        tag(
                                "Security incidents",
                                "Incidents opened by breach detection, with their GDPR Article 33 clock, and the"
                                        + " security officer's containment actions (see docs/breach-response.md).")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An opaque access token from POST /api/v1/auth/token."))
                        .addParameters(
                                ACCEPT_LANGUAGE,
                                new Parameter()
                                        .in("header")
                                        .name(ACCEPT_LANGUAGE)
                                        .description("Language of labels (specialties) and of field validation"
                                                + " messages: `fr` (the default) or `en`.")
                                        .required(false)
                                        .schema(types("string"))
                                        .example("en"))
                        .addHeaders(
                                RETRY_AFTER,
                                new Header()
                                        .description("Seconds to wait before trying again.")
                                        .required(true)
                                        .schema(types("integer").minimum(java.math.BigDecimal.ONE))
                                        .example(42))
                        .addHeaders(
                                WWW_AUTHENTICATE,
                                new Header()
                                        .description("The scheme to authenticate with: `Bearer`.")
                                        .required(true)
                                        .schema(types("string"))
                                        .example("Bearer"))
                        .addHeaders(
                                LOCATION,
                                new Header()
                                        .description("Where the created resource can be read.")
                                        .required(true)
                                        .schema(types("string").format("uri-reference"))
                                        .example("/api/v1/appointments/3f6c2a3e-8d3b-4f0e-9a51-0c2f1b7d9e10")));
    }

    static Schema<?> types(String... types) {
        return new JsonSchema().types(new LinkedHashSet<>(List.of(types)));
    }

    private static Tag tag(String name, String description) {
        return new Tag().name(name).description(description);
    }
}
