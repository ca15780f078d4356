package org.carnet.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Finess;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.identity.Logins;
import org.carnet.patients.NewPatient;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.Sex;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.WeeklyHours;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seeds an empty directory with synthetic establishments in ten French cities, practitioners across
 * the specialties with weekly hours and slots, and the demo accounts, when {@link DemoMode} says so.
 * All or nothing: the whole directory is written in one transaction, so a start stopped half-way
 * (Ctrl-C during the seconds it takes) leaves nothing, and the next start seeds it all; a directory
 * that has establishments is therefore complete and left alone. Runs before the web server starts,
 * so no page is served from a directory being prepared. Same seed, same names.
 */
@Component
class DemoData implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    record City(String name, String postcode, String department) {}

    static final List<City> CITIES = List.of(
            new City("Paris", "75011", "75"),
            new City("Lyon", "69003", "69"),
            new City("Marseille", "13006", "13"),
            new City("Toulouse", "31000", "31"),
            new City("Nice", "06000", "06"),
            new City("Nantes", "44000", "44"),
            new City("Strasbourg", "67000", "67"),
            new City("Montpellier", "34000", "34"),
            new City("Bordeaux", "33000", "33"),
            new City("Lille", "59000", "59"));

    private static final String[] FIRST_NAMES = {
        "Camille", "Louise", "Hugo", "Léa", "Arthur", "Manon", "Jules", "Chloé", "Gabriel", "Inès",
        "Lucas", "Zoé", "Nathan", "Alice", "Raphaël", "Emma", "Louis", "Sarah", "Théo", "Jade"
    };
    private static final String[] LAST_NAMES = {
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand"
    };
    private static final String[] KINDS = {"Cabinet médical", "Centre de santé", "Clinique", "Maison de santé"};
    private static final String[] STREETS = {
        "rue de la République",
        "avenue Jean Jaurès",
        "boulevard Victor Hugo",
        "rue Pasteur",
        "place de la Mairie",
        "rue du Général de Gaulle",
        "avenue de la Gare",
        "rue des Écoles"
    };

    private final Directory directory;
    private final Agendas agendas;
    private final PatientAccounts patients;
    private final Logins logins;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DemoProperties properties;
    private final DemoMode mode;
    private final DemoProgram demoProgram;
    private volatile boolean running;

    DemoData(
            Directory directory,
            Agendas agendas,
            PatientAccounts patients,
            Logins logins,
            JdbcClient jdbc,
            TransactionTemplate transactions,
            DemoProperties properties,
            DemoMode mode,
            DemoProgram demoProgram) {
        this.mode = mode;
        this.demoProgram = demoProgram;
        this.directory = directory;
        this.agendas = agendas;
        this.patients = patients;
        this.logins = logins;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = true;
        if (!mode.enabled()) {
            return;
        }
        if (mode.bannerShown()) {
            log.warn("Demo data is enabled on a server database (carnet.demo.enabled=true): the demo accounts, whose"
                    + " passwords and second-factor secrets are published, can sign in. Never do this in production.");
        }
        transactions.executeWithoutResult(status -> seedIfEmpty());
        if (properties.program()) {
            demoProgram.ensure();
        }
    }

    /** Before the web server starts listening: pages are served only from a complete directory. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void seedIfEmpty() {
        Integer existing = jdbc.sql("SELECT COUNT(*) FROM establishments")
                .query(Integer.class)
                .single();
        if (existing > 0) {
            return;
        }
        long started = System.nanoTime();
        Random random = new Random(2026);
        List<Practitioner> practitioners = new ArrayList<>();
        Specialty[] specialties = Specialty.values();
        long rppsSerial = 1_000_000_000L;
        for (int e = 0; e < properties.establishments(); e++) {
            City city = CITIES.get(e % CITIES.size());
            Establishment establishment = directory.addEstablishment(
                    Finess.of(city.department(), 100 + e),
                    KINDS[e % KINDS.length] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)] + " " + city.name(),
                    (1 + random.nextInt(120)) + " " + STREETS[random.nextInt(STREETS.length)],
                    city.name(),
                    city.postcode());
            for (int p = 0; p < properties.practitionersPerEstablishment(); p++) {
                // Every other practitioner is a GP, the rest cycle through the specialties.
                Specialty specialty = p % 2 == 0
                        ? Specialty.MEDECIN_GENERALISTE
                        : specialties[(e * properties.practitionersPerEstablishment() + p) % specialties.length];
                Practitioner practitioner = directory.addPractitioner(
                        establishment.id(),
                        Rpps.of(rppsSerial++),
                        FIRST_NAMES[random.nextInt(FIRST_NAMES.length)],
                        LAST_NAMES[random.nextInt(LAST_NAMES.length)],
                        specialty);
                directory.addMotive(practitioner.id(), "Première consultation", 20, false);
                directory.addMotive(practitioner.id(), "Consultation de suivi", 20, false);
                if (p % 3 != 2) {
                    directory.addMotive(practitioner.id(), "Téléconsultation", 15, true);
                }
                agendas.defineOpeningHours(practitioner.id(), 20, weekdays());
                practitioners.add(practitioner);
            }
        }
        Practitioner demoPractitioner = practitioners.get(0);
        UUID establishment = demoPractitioner.establishmentId();
        UUID practitionerLogin = logins.create(
                Role.PRACTITIONER,
                demoPractitioner.id(),
                establishment,
                DemoAccounts.PRACTITIONER_EMAIL,
                DemoAccounts.PRACTITIONER_PASSWORD);
        logins.presetSecondFactor(practitionerLogin, DemoAccounts.PRACTITIONER_TOTP);
        staff(
                Role.STAFF,
                establishment,
                "Sophie Secrétaire",
                DemoAccounts.STAFF_EMAIL,
                DemoAccounts.STAFF_PASSWORD,
                DemoAccounts.STAFF_TOTP);
        staff(
                Role.ESTABLISHMENT_ADMIN,
                establishment,
                "Antoine Administrateur",
                DemoAccounts.ADMIN_EMAIL,
                DemoAccounts.ADMIN_PASSWORD,
                DemoAccounts.ADMIN_TOTP);
        staff(
                Role.SECURITY_OFFICER,
                null,
                "Sarah Sécurité",
                DemoAccounts.SECURITY_OFFICER_EMAIL,
                DemoAccounts.SECURITY_OFFICER_PASSWORD,
                DemoAccounts.SECURITY_OFFICER_TOTP);
        patients.registerDemoPatient(new NewPatient(
                DemoAccounts.PATIENT_EMAIL,
                DemoAccounts.PATIENT_PASSWORD,
                "Claire",
                "Exemple",
                LocalDate.of(1985, 4, 12),
                Sex.F,
                "+33 6 00 00 00 00",
                null));
        log.info(
                "Demo data seeded: {} establishments, {} practitioners in {} ms",
                properties.establishments(),
                practitioners.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** A demo login that is its own subject, with its published second-factor secret. */
    private void staff(
            Role role, @Nullable UUID establishment, String name, String email, String password, String totp) {
        logins.presetSecondFactor(logins.createStaff(role, establishment, name, email, password), totp);
    }

    /** Monday to Friday, 09:00–12:00 and 14:00–18:00. */
    static List<WeeklyHours> weekdays() {
        List<WeeklyHours> hours = new ArrayList<>();
        for (DayOfWeek day : List.of(
                DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            hours.add(new WeeklyHours(day, LocalTime.of(9, 0), LocalTime.of(12, 0)));
            hours.add(new WeeklyHours(day, LocalTime.of(14, 0), LocalTime.of(18, 0)));
        }
        return hours;
    }
}
