package org.carnet.apidocs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.carnet.client.ApiClient;
import org.carnet.client.ApiException;
import org.carnet.client.api.AuthenticationApi;
import org.carnet.client.api.DirectoryApi;
import org.carnet.client.api.PatientsApi;
import org.carnet.client.api.SchedulingApi;
import org.carnet.client.model.AppointmentView;
import org.carnet.client.model.AvailabilityPage;
import org.carnet.client.model.BookingBody;
import org.carnet.client.model.ConfirmationCode;
import org.carnet.client.model.PractitionerSlots;
import org.carnet.client.model.PractitionerView;
import org.carnet.client.model.Problem;
import org.carnet.client.model.Registration;
import org.carnet.client.model.RescheduleBody;
import org.carnet.client.model.SlotView;
import org.carnet.client.model.TokenRequest;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Agendas;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What an integrator does first: generate a client from the document (openapi-generator's Java client,
 * made by the build from docs/openapi/carnet-v1.json) and book with it, errors included.
 */
@CarnetIntegrationTest
class GeneratedClientIntegrationTest {

    private static final String CITY = "Clientville";

    @LocalServerPort
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Test
    void aGeneratedClientRegistersSignsInSearchesBooksReschedulesAndCancels() throws Exception {
        Fixtures.Agenda agenda =
                new Fixtures(directory, agendas).aPractitionerWithSlots(Specialty.PEDIATRE, CITY, "99200");
        String email = "client-" + UUID.randomUUID() + "@example.test";
        String password = "correct horse battery staple";

        ApiClient anonymous = client(null);
        new PatientsApi(anonymous)
                .register(
                        new Registration()
                                .email(email)
                                .password(password)
                                .firstName("Testfirst")
                                .lastName("Testlast")
                                .birthDate(LocalDate.of(1990, 2, 3))
                                .sex("X")
                                .phone("+33 6 11 22 33 44"),
                        null);
        String token = new AuthenticationApi(anonymous)
                .signIn(new TokenRequest().email(email).password(password), null)
                .getAccessToken();
        ApiClient signedIn = client(token);
        new PatientsApi(signedIn).confirmEmail(new ConfirmationCode().code(Fixtures.confirmationCode(email)), null);
        SchedulingApi scheduling = new SchedulingApi(signedIn);

        LocalDate tomorrow = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1);
        AvailabilityPage page = scheduling.searchAvailability("pediatre", CITY, tomorrow.toString(), false, 0, null);
        PractitionerSlots found = page.getContent().get(0);
        assertThat(found.getId()).isEqualTo(agenda.practitioner().id());
        PractitionerView practitioner = new DirectoryApi(anonymous).getPractitioner(found.getId(), null);
        UUID motive = practitioner.getMotives().get(0).getId();
        List<SlotView> slots = found.getSlots();

        String key = "client-test-" + UUID.randomUUID();
        BookingBody booking = new BookingBody().slotId(slots.get(0).getId()).motiveId(motive);
        AppointmentView booked = scheduling.bookAppointment(booking, key, null);
        assertThat(booked.getStatus()).isEqualTo("BOOKED");
        assertThat(booked.getRelativeId()).isNull();
        assertThat(booked.getForWhom()).isNull();
        AppointmentView replayed = scheduling.bookAppointment(booking, key, null);
        assertThat(replayed.getId()).isEqualTo(booked.getId());

        assertThat(scheduling.getAppointment(booked.getId(), null).getSlotId())
                .isEqualTo(slots.get(0).getId());
        AppointmentView moved = scheduling.rescheduleAppointment(
                booked.getId(), new RescheduleBody().slotId(slots.get(1).getId()), null);
        assertThat(moved.getSlotId()).isEqualTo(slots.get(1).getId());

        ApiException taken = catchThrowableOfType(
                ApiException.class,
                () -> scheduling.bookAppointment(
                        new BookingBody().slotId(slots.get(1).getId()).motiveId(motive), null, null));
        assertThat(taken.getCode()).isEqualTo(409);
        Problem problem = signedIn.getObjectMapper().readValue(taken.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getType()).hasToString("https://carnet.example/problems/conflict");

        scheduling.cancelAppointment(booked.getId(), null);
        assertThat(scheduling.listMyAppointments(null))
                .singleElement()
                .satisfies(appointment -> assertThat(appointment.getStatus()).isEqualTo("CANCELLED"));
        new AuthenticationApi(signedIn).signOut(null);
        ApiException signedOut = catchThrowableOfType(ApiException.class, () -> scheduling.listMyAppointments(null));
        assertThat(signedOut.getCode()).isEqualTo(401);
    }

    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }
}
