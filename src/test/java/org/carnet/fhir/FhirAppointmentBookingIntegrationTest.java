package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 6: FHIR Appointment create is a booking, through the same conditional update of the
 * slot as every other booking: exactly once (an Idempotency-Key answers a retry with the first
 * appointment), 409 OperationOutcome when the slot is taken, 20 concurrent creates on one slot give one
 * winner; cancelling is an update to status cancelled, which frees the slot.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class FhirAppointmentBookingIntegrationTest {

    static final int CONCURRENT = 20;

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PhoneBookings phoneBookings;

    @Autowired
    Availability availability;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    ConnectedPrograms programs;
    PracticeAgenda practice;
    PracticeAgenda elsewhere;
    ConnectedPrograms.Program booking;
    String pseudonym;

    @BeforeEach
    void aPracticeAndABookingProgramThatKnowsOnePatient() {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        programs = new ConnectedPrograms(
                api,
                "http://127.0.0.1:" + port,
                api.token(professionals.staff(
                        Role.ESTABLISHMENT_ADMIN,
                        practice.agenda().establishment().id())),
                api.token(professionals.staff(Role.SECURITY_OFFICER, null)));
        booking = programs.connect("system/Slot.rs system/Appointment.crus");
        PracticeAgenda.Booked known =
                practice.bookNewPatient(practice.freeSlots(20).get(2).id());
        pseudonym = FhirProgramAccessIntegrationTest.patientOf(booking.fhir()
                .read()
                .resource(Appointment.class)
                .withId(known.appointmentId().toString())
                .execute());
    }

    @Test
    void createBooksTheSlotOnceAndARetryWithTheSameKeyAnswersTheSameAppointment() {
        Slot slot = practice.freeSlots(20).get(10);
        MethodOutcome created = booking.fhir()
                .create()
                .resource(appointment(slot.id(), pseudonym))
                .withAdditionalHeader("Idempotency-Key", "sync-42")
                .execute();
        assertThat(created.getCreated()).isTrue();
        Appointment booked = valid((Appointment) created.getResource());
        String id = created.getId().getIdPart();
        assertThat(booked.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(booked.getStart()).isEqualTo(java.util.Date.from(slot.start()));
        assertThat(FhirProgramAccessIntegrationTest.patientOf(booked)).isEqualTo(pseudonym);
        assertThat(appointmentsOn(slot.id())).isEqualTo(1);

        MethodOutcome retried = booking.fhir()
                .create()
                .resource(appointment(slot.id(), pseudonym))
                .withAdditionalHeader("Idempotency-Key", "sync-42")
                .execute();
        assertThat(retried.getCreated()).as("answered, not booked again").isNotEqualTo(Boolean.TRUE);
        assertThat(retried.getId().getIdPart()).isEqualTo(id);
        assertThat(appointmentsOn(slot.id())).isEqualTo(1);

        // The same key for another request is refused; another booking of the taken slot is a 409.
        Slot other = practice.freeSlots(20).get(11);
        assertThatThrownBy(() -> booking.fhir()
                        .create()
                        .resource(appointment(other.id(), pseudonym))
                        .withAdditionalHeader("Idempotency-Key", "sync-42")
                        .execute())
                .isInstanceOf(UnprocessableEntityException.class);
        assertThatThrownBy(() -> booking.fhir()
                        .create()
                        .resource(appointment(slot.id(), pseudonym))
                        .execute())
                .isInstanceOf(ResourceVersionConflictException.class)
                .satisfies(e -> assertThat(((BaseServerResponseException) e).getOperationOutcome())
                        .isNotNull());
        assertThat(appointmentsOn(slot.id())).isEqualTo(1);

        // Cancelled by an update to status cancelled: the slot is free again, and a second cancel is a 409.
        booked.setStatus(Appointment.AppointmentStatus.CANCELLED);
        MethodOutcome cancelled =
                booking.fhir().update().resource(booked).withId(id).execute();
        assertThat(((Appointment) cancelled.getResource()).getStatus())
                .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
        assertThat(practice.freeSlots(20)).extracting(Slot::id).contains(slot.id());
        assertThatThrownBy(() ->
                        booking.fhir().update().resource(booked).withId(id).execute())
                .isInstanceOf(ResourceVersionConflictException.class);
        assertThat(booking.fhir()
                        .create()
                        .resource(appointment(slot.id(), pseudonym))
                        .execute()
                        .getCreated())
                .isTrue();
    }

    @Test
    void aProgramBooksOnlyItsOwnEstablishmentsSlotsForPatientsItWasShown() {
        Slot theirs = elsewhere.freeSlots(20).get(10);
        assertThatThrownBy(() -> booking.fhir()
                        .create()
                        .resource(appointment(theirs.id(), pseudonym))
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
        Slot mine = practice.freeSlots(20).get(12);
        assertThatThrownBy(() -> booking.fhir()
                        .create()
                        .resource(appointment(mine.id(), "Patient/p1" + "ab".repeat(16)))
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> booking.fhir()
                        .create()
                        .resource(appointment(mine.id(), pseudonym))
                        .withAdditionalHeader("If-None-Exist", "identifier=x|y")
                        .execute())
                .isInstanceOf(InvalidRequestException.class);
        ConnectedPrograms.Program readOnly = programs.connect("system/Appointment.rs");
        assertThatThrownBy(() -> readOnly.fhir()
                        .create()
                        .resource(appointment(mine.id(), pseudonym))
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(appointmentsOn(theirs.id()) + appointmentsOn(mine.id())).isZero();
    }

    @Test
    void twentyConcurrentCreatesOfOneSlotGiveExactlyOneWinner() throws Exception {
        Slot slot = practice.freeSlots(20).get(15);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENT; i++) {
                IGenericClient client = programs.fhir(booking.token());
                Callable<Integer> create = () -> {
                    start.await();
                    try {
                        client.create()
                                .resource(appointment(slot.id(), pseudonym))
                                .execute();
                        return 201;
                    } catch (BaseServerResponseException e) {
                        return e.getStatusCode();
                    }
                };
                outcomes.add(pool.submit(create));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                statuses.add(outcome.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(CONCURRENT - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(appointmentsOn(slot.id())).isEqualTo(1);
    }

    private int appointmentsOn(UUID slotId) {
        return jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ? AND status = 'BOOKED'")
                .param(slotId)
                .query(Integer.class)
                .single();
    }

    static Appointment appointment(UUID slotId, String patient) {
        Appointment appointment = new Appointment();
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.addSlot(new Reference("Slot/" + slotId));
        appointment
                .addParticipant()
                .setActor(new Reference(patient))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return appointment;
    }
}
