package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.core.MethodParameter;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What Carnet shows that it should not: the API description on a deployment that did not open it,
 * actuator endpoints exposed later, source addresses outside the security officer's view, secrets and
 * personal data in request types' {@code toString} (hence logs), and personal data in URLs. This context
 * is a production-like one: {@code carnet.api.docs-public=false}, and one more actuator endpoint
 * ({@code info}) exposed, as an operator might. The same context as {@link SignInAttackIntegrationTest}.
 */
@CarnetIntegrationTest
@Import(SignInAttackIntegrationTest.LockNotices.class)
@TestPropertySource(
        properties = {
            "carnet.security.sign-ins-per-minute=15",
            "carnet.api.docs-public=false",
            "management.endpoints.web.exposure.include=health,info"
        })
class ExposureAttackIntegrationTest {

    /** Names of request parameters and fields that carry a secret or a person's data. */
    private static final Set<String> PERSONAL = Set.of(
            "lastname",
            "firstname",
            "name",
            "birthdate",
            "birth",
            "email",
            "phone",
            "nir",
            "ins",
            "address",
            "sex",
            "password",
            "currentpassword",
            "newpassword",
            "otp",
            "code",
            "comment",
            "reason",
            "motive");

    @Value("${local.server.port}")
    int port;

    @Autowired
    SignInRateLimiter limiter;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    Api api;
    Professionals professionals;

    @BeforeEach
    void fresh() {
        limiter.forgetAll();
        api = new Api(port);
        professionals = new Professionals(logins, transactions);
    }

    @Test
    void theApiDescriptionIsNotPublicWhereItWasNotOpened() {
        assertThat(api.get("/v3/api-docs", null).status()).isEqualTo(302);
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(302);
        assertThat(api.get("/v3/api-docs", null).raw()).doesNotContain("/api/v1/auth/token");
        // A signed-in user still reads it.
        PageClient pages = new PageClient(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
        PageClient.Page docs = pages.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/auth/token");
    }

    @Test
    void actuatorEndpointsBeyondHealthAreTheSecurityOfficersOnly() {
        assertThat(api.get("/actuator/health", null).raw()).contains("UP");
        Api.Response anonymous = api.get("/actuator/info", null);
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(api.get("/actuator", null).status()).isEqualTo(302);

        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        PageClient adminPages = new PageClient(port);
        adminPages.signIn(admin.email(), admin.password(), admin.totpSecret());
        assertThat(adminPages.get("/actuator/info").status()).isEqualTo(403);

        Professionals.Login officer = professionals.staff(Role.SECURITY_OFFICER, null);
        PageClient officerPages = new PageClient(port);
        officerPages.signIn(officer.email(), officer.password(), officer.totpSecret());
        assertThat(officerPages.get("/actuator/info").status()).isEqualTo(200);
    }

    @Test
    void noSourceAddressReachesAnAdministratorOrAPatient() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> registration = Fixtures.aRegistration();
        String patient = Fixtures.registered(api, registration).account().toString();
        String patientToken = api.token((String) registration.get("email"), (String) registration.get("password"));
        String slot = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        assertThat(api.post(
                                "/api/v1/appointments",
                                Map.of(
                                        "slotId",
                                        slot,
                                        "motiveId",
                                        agenda.motive().id().toString()),
                                patientToken)
                        .status())
                .isEqualTo(201);
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        String adminToken = api.token(admin);

        // The booking was recorded with the patient's address (the audit log keeps it for the officer)...
        Api.Response search = api.get("/api/v1/establishment/access-log?patient=" + patient, adminToken);
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body().valueStream().map(e -> e.get("purpose").asString()))
                .contains("booking");
        // ...and no administrator's search, export or page, nor the patient's own list, shows it.
        Api.Response csv = api.get("/api/v1/establishment/access-log.csv?patient=" + patient, adminToken);
        PageClient adminPages = new PageClient(port);
        adminPages.signIn(admin.email(), admin.password(), admin.totpSecret());
        PageClient.Page page = adminPages.get("/establishment/access-log?patient=" + patient);
        assertThat(page.status()).isEqualTo(200);
        Api.Response mine = api.get("/api/v1/me/access-log", patientToken);
        for (String shown : List.of(search.raw(), csv.raw(), page.body(), mine.raw())) {
            assertThat(shown)
                    .doesNotContain("127.0.0.1")
                    .doesNotContainIgnoringCase("sourceAddress")
                    .doesNotContainIgnoringCase("source_address");
        }
    }

    @Test
    void noRequestTypeShowsASecretOrPersonalDataInItsToString() throws Exception {
        List<String> leaks = new ArrayList<>();
        Set<Class<?>> seen = new java.util.HashSet<>();
        for (HandlerMethod method : handlers.getHandlerMethods().values()) {
            for (MethodParameter parameter : method.getMethodParameters()) {
                Class<?> type = parameter.getParameterType();
                boolean bound = parameter.hasParameterAnnotation(RequestBody.class)
                        || parameter.hasParameterAnnotation(ModelAttribute.class);
                if (!bound || !type.getName().startsWith("org.carnet.") || !seen.add(type)) {
                    continue;
                }
                Object filled = filledWithMarkers(type);
                String text = filled.toString();
                if (text.contains("MARKER") || text.contains("1901-02-03")) {
                    leaks.add(type.getName());
                }
            }
        }
        assertThat(seen).as("request types found").isNotEmpty();
        assertThat(leaks)
                .as("request types whose toString shows what they carry")
                .isEmpty();
    }

    @Test
    void noPageOrApiRouteTakesPersonalDataInItsUrl() {
        Set<String> leaks = new TreeSet<>();
        handlers.getHandlerMethods().forEach((info, method) -> {
            if (!answersGet(info)) {
                return;
            }
            for (MethodParameter parameter : method.getMethodParameters()) {
                RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
                if (param != null) {
                    if (Map.class.isAssignableFrom(parameter.getParameterType())) {
                        leaks.add(info + " takes any query parameter");
                        continue;
                    }
                    String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
                    if (name != null && PERSONAL.contains(name.toLowerCase(Locale.ROOT))) {
                        leaks.add(info + " ?" + name);
                    }
                }
                ModelAttribute form = parameter.getParameterAnnotation(ModelAttribute.class);
                if (form != null && form.binding()) {
                    for (Field field : parameter.getParameterType().getDeclaredFields()) {
                        if (PERSONAL.contains(field.getName().toLowerCase(Locale.ROOT))) {
                            leaks.add(info + " ?" + field.getName() + " (bound from the query)");
                        }
                    }
                }
            }
        });
        assertThat(leaks)
                .as("GET routes taking personal data as query parameters")
                .isEmpty();
    }

    @Test
    void thePhoneBookingSearchSendsTheNameInTheBodyOnly() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String slot = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        Professionals.Login staff =
                professionals.staff(Role.STAFF, agenda.establishment().id());
        PageClient pages = new PageClient(port);
        pages.signIn(staff.email(), staff.password(), staff.totpSecret());
        PageClient.Page form = pages.get("/agenda/phone/" + slot);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.body()).containsPattern("id=\"search-patient\"[^>]*method=\"post\"");
        PageClient.Page found = pages.post("/agenda/phone/" + slot + "/search", Map.of("lastName", "Nobodyknown"));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains("id=\"no-file\"");
    }

    private static boolean answersGet(RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        return methods.isEmpty() || methods.contains(RequestMethod.GET) || methods.contains(RequestMethod.HEAD);
    }

    /** An instance of a record or form class with every text a marker, every date 1901-02-03. */
    private static Object filledWithMarkers(Class<?> type) throws Exception {
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = marker(types[i], components[i].getName());
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        }
        Constructor<?> none = type.getDeclaredConstructor();
        none.setAccessible(true);
        Object form = none.newInstance();
        for (Field field : type.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Object value = marker(field.getType(), field.getName());
            if (value != null) {
                field.setAccessible(true);
                field.set(form, value);
            }
        }
        return form;
    }

    private static Object marker(Class<?> type, String name) {
        if (type == String.class) {
            return "MARKER-" + name;
        }
        if (type == LocalDate.class) {
            return LocalDate.of(1901, 2, 3);
        }
        if (type == UUID.class) {
            return UUID.randomUUID();
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 0 : (Object) 0L;
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return null;
    }
}
