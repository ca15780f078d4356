package org.carnet.breach.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.RecordedActor;
import org.carnet.breach.BreachProperties;
import org.carnet.breach.Rule;
import org.carnet.shared.Action;
import org.junit.jupiter.api.Test;

/** Each data-access rule fires on its attack and stays quiet on ordinary work, with the default thresholds. */
class AccessWindowsTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant AFTERNOON =
            ZonedDateTime.of(2026, 3, 10, 14, 0, 0, 0, PARIS).toInstant();
    static final Instant NIGHT =
            ZonedDateTime.of(2026, 3, 10, 23, 30, 0, 0, PARIS).toInstant();
    static final UUID ESTABLISHMENT = UUID.randomUUID();
    static final List<String> IDENTITY = List.of("first_name", "last_name", "birth_date", "sex");

    long ids;

    static BreachProperties defaults() {
        return new BreachProperties(
                true,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                100,
                150,
                3,
                14,
                40,
                Duration.ofMinutes(10),
                20,
                Duration.ofHours(1),
                50,
                LocalTime.of(22, 0),
                LocalTime.of(6, 0),
                40,
                Duration.ofDays(1),
                5,
                Duration.ofMinutes(10),
                20,
                30,
                200,
                Duration.ofMinutes(30),
                true,
                PARIS,
                "Délégué à la protection des données");
    }

    AuditEntry read(RecordedActor actor, UUID patient, Instant at, List<String> fields) {
        return entry(actor, patient, at, fields, "agenda", AccessEvent.Outcome.ALLOWED);
    }

    AuditEntry entry(
            RecordedActor actor, UUID patient, Instant at, List<String> fields, String purpose, AccessEvent.Outcome o) {
        return new AuditEntry(
                ++ids,
                at,
                ESTABLISHMENT,
                actor,
                null,
                patient,
                Action.READ,
                "patient-file",
                fields,
                purpose,
                o,
                null,
                null);
    }

    static RecordedActor program() {
        return new RecordedActor(RecordedActor.Type.CLIENT, UUID.randomUUID(), "CLIENT");
    }

    static RecordedActor practitioner() {
        return new RecordedActor(RecordedActor.Type.USER, UUID.randomUUID(), "PRACTITIONER");
    }

    static List<UUID> shuffledPatients(int n) {
        List<UUID> patients = new ArrayList<>(
                IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList());
        // Random ids in random order: no run of 40 in id order (the chance is nil).
        return patients;
    }

    List<Rule> feed(AccessWindows windows, List<AuditEntry> entries) {
        List<Rule> fired = new ArrayList<>();
        entries.forEach(e -> windows.accept(e).forEach(hit -> fired.add(hit.rule())));
        return fired;
    }

    @Test
    void aProgramReadingMoreThanAHundredDistinctPatientsWithinAnHourFiresAtTheHundredAndFirst() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor program = program();
        List<UUID> patients = shuffledPatients(101);
        for (int i = 0; i < 100; i++) {
            assertThat(windows.accept(read(program, patients.get(i), AFTERNOON.plusSeconds(i), IDENTITY)))
                    .isEmpty();
        }
        List<RuleHit> hits = windows.accept(read(program, patients.get(100), AFTERNOON.plusSeconds(100), IDENTITY));
        assertThat(hits).extracting(RuleHit::rule).containsExactly(Rule.DISTINCT_PATIENTS);
        assertThat(hits.get(0).clientId()).isEqualTo(program.id());
        assertThat(hits.get(0).establishments()).containsExactly(ESTABLISHMENT);
    }

    @Test
    void rereadingTheSamePatientsOrSpreadingReadsOverHoursStaysQuiet() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor program = program();
        List<UUID> patients = shuffledPatients(200);
        List<AuditEntry> entries = new ArrayList<>();
        // 80 patients read again and again within the hour, then 120 others over the next two hours.
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 80; i++) {
                entries.add(read(program, patients.get(i), AFTERNOON.plusSeconds(round * 100L + i), IDENTITY));
            }
        }
        for (int i = 80; i < 200; i++) {
            entries.add(read(program, patients.get(i), AFTERNOON.plus(Duration.ofMinutes(61 + i - 80)), IDENTITY));
        }
        assertThat(feed(windows, entries)).isEmpty();
    }

    @Test
    void aProgramsOwnBaselineRaisesItsBar() {
        RecordedActor program = program();
        AccessWindows usual = new AccessWindows(defaults(), key -> key.equals("client:" + program.id()) ? 200 : 0);
        List<AuditEntry> entries = new ArrayList<>();
        List<UUID> patients = shuffledPatients(601);
        for (int i = 0; i < 601; i++) {
            entries.add(read(program, patients.get(i), AFTERNOON.plusSeconds(i), IDENTITY));
        }
        List<Rule> fired = feed(usual, entries);
        assertThat(fired).containsExactly(Rule.DISTINCT_PATIENTS);
    }

    @Test
    void aPractitionerReadingTheirDaysPatientsStaysQuiet() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor doctor = practitioner();
        List<AuditEntry> entries = new ArrayList<>();
        List<UUID> day = shuffledPatients(35);
        for (int i = 0; i < day.size(); i++) {
            Instant at = AFTERNOON.minus(Duration.ofHours(5)).plus(Duration.ofMinutes(15L * i));
            entries.add(read(doctor, day.get(i), at, IDENTITY));
            entries.add(read(doctor, day.get(i), at.plusSeconds(30), List.of("motive", "comment")));
        }
        assertThat(feed(windows, entries)).isEmpty();
    }

    @Test
    void timesAndPseudonymsDoNotCountAsBulkReading() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor agenda = program();
        List<AuditEntry> entries = new ArrayList<>();
        shuffledPatients(500)
                .forEach(p ->
                        entries.add(read(agenda, p, AFTERNOON.plusSeconds(entries.size()), List.of("slot", "status"))));
        assertThat(feed(windows, entries)).isEmpty();
    }

    @Test
    void walkingIdsInOrderFiresAtTheFortiethAndRandomOrderDoesNot() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor walker = practitioner();
        List<UUID> sorted = shuffledPatients(40);
        sorted.sort(AccessWindows::compareIds);
        List<AuditEntry> walk = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            walk.add(read(walker, sorted.get(i), AFTERNOON.plusSeconds(i), IDENTITY));
        }
        List<Rule> fired = feed(windows, walk.subList(0, 39));
        assertThat(fired).isEmpty();
        assertThat(feed(windows, walk.subList(39, 40))).containsExactly(Rule.SEQUENTIAL_IDS);

        // Descending is a walk too.
        RecordedActor backwards = practitioner();
        List<AuditEntry> down = new ArrayList<>();
        List<UUID> reversed = new ArrayList<>(sorted);
        reversed.sort(
                Comparator.comparing((UUID id) -> id, AccessWindows::compareIds).reversed());
        for (int i = 0; i < 40; i++) {
            down.add(read(backwards, reversed.get(i), AFTERNOON.plusSeconds(i), IDENTITY));
        }
        assertThat(feed(windows, down)).containsExactly(Rule.SEQUENTIAL_IDS);

        RecordedActor ordinary = practitioner();
        List<AuditEntry> random = new ArrayList<>();
        List<UUID> shuffled = shuffledPatients(40);
        for (int i = 0; i < 40; i++) {
            random.add(read(ordinary, shuffled.get(i), AFTERNOON.plusSeconds(i), IDENTITY));
        }
        assertThat(feed(new AccessWindows(defaults(), key -> 0), random)).isEmpty();
    }

    @Test
    void twentyRefusalsWithinTenMinutesFireAndNineteenDoNot() {
        AccessWindows windows = new AccessWindows(defaults(), key -> 0);
        RecordedActor prober = practitioner();
        List<AuditEntry> denied = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            denied.add(entry(
                    prober,
                    UUID.randomUUID(),
                    AFTERNOON.plusSeconds(20L * i),
                    IDENTITY,
                    "care",
                    AccessEvent.Outcome.DENIED));
        }
        assertThat(feed(windows, denied.subList(0, 19))).isEmpty();
        assertThat(feed(windows, denied.subList(19, 20))).containsExactly(Rule.DENIED_ACCESSES);

        // The same refusals spread over hours: a user mistyping now and then.
        RecordedActor clumsy = practitioner();
        List<AuditEntry> spread = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            spread.add(entry(
                    clumsy,
                    UUID.randomUUID(),
                    AFTERNOON.plus(Duration.ofMinutes(31L * i)),
                    IDENTITY,
                    "care",
                    AccessEvent.Outcome.DENIED));
        }
        assertThat(feed(new AccessWindows(defaults(), key -> 0), spread)).isEmpty();
    }

    @Test
    void fortyOneDistinctPatientsAtNightFireAndTheSameInTheAfternoonDoNot() {
        RecordedActor nightOwl = practitioner();
        List<UUID> patients = shuffledPatients(41);
        List<AuditEntry> night = new ArrayList<>();
        List<AuditEntry> day = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            night.add(read(nightOwl, patients.get(i), NIGHT.plusSeconds(30L * i), IDENTITY));
            day.add(read(nightOwl, patients.get(i), AFTERNOON.plusSeconds(30L * i), IDENTITY));
        }
        assertThat(feed(new AccessWindows(defaults(), key -> 0), night)).containsExactly(Rule.NIGHT_BULK_READ);
        assertThat(feed(new AccessWindows(defaults(), key -> 0), day)).isEmpty();
    }

    @Test
    void breakTheGlassBeyondTheEstablishmentsUsualRateFires() {
        List<AuditEntry> openings = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            openings.add(entry(
                    practitioner(),
                    UUID.randomUUID(),
                    AFTERNOON.plus(Duration.ofHours(i)),
                    IDENTITY,
                    "break-the-glass",
                    AccessEvent.Outcome.ALLOWED));
        }
        assertThat(feed(new AccessWindows(defaults(), key -> 0), openings.subList(0, 5)))
                .isEmpty();
        assertThat(feed(new AccessWindows(defaults(), key -> 0), openings)).containsExactly(Rule.BREAK_THE_GLASS_RATE);
        // An emergency department that opens six a day as a rule: its baseline keeps it quiet.
        assertThat(feed(new AccessWindows(defaults(), key -> key.startsWith("establishment:") ? 6 : 0), openings))
                .isEmpty();
    }
}
