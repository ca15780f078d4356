package org.carnet.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.carnet.access.ProgramQuotas;
import org.carnet.clients.internal.ClientUsage;
import org.carnet.shared.Actor;
import org.carnet.shared.PatientRef;
import org.carnet.shared.TooManyRequestsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * A program's quotas (issue 13, item 5): its {@code /fhir} requests per calendar minute, counted before
 * the request is served, and the distinct patients it is shown per calendar hour, counted where {@code
 * AccessDecision} grants it a patient. Both are counted in the database, so every node shares them.
 * Beyond either, {@link TooManyRequestsException} (429) until the window ends. A patient already shown
 * to the program within the hour stays readable beyond the patient quota; a new one does not.
 */
@Service
@EnableConfigurationProperties(ClientQuotaProperties.class)
public class ClientQuotas implements ProgramQuotas {

    private static final Logger log = LoggerFactory.getLogger(ClientQuotas.class);

    /** The problem type of a 429 for requests, and for patients. */
    public static final String REQUESTS = "client-request-quota";

    public static final String PATIENTS = "client-patient-quota";

    private final ClientUsage usage;
    private final ClientQuotaProperties quotas;
    private final Clock clock;

    ClientQuotas(ClientUsage usage, ClientQuotaProperties quotas, Clock clock) {
        this.usage = usage;
        this.quotas = quotas;
        this.clock = clock;
    }

    /**
     * Counts one request of the program, before it is served (outside any transaction: the count stays whatever the request does).
     *
     * @throws TooManyRequestsException beyond the per-minute quota
     */
    public void countRequest(Actor.Client client) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        if (!usage.countRequest(client.establishment(), client.clientId(), window, quotas.requestsPerMinute())) {
            log.info("Program {} over its quota of requests per minute", client.clientId());
            throw new TooManyRequestsException(
                    REQUESTS,
                    "This program made its " + quotas.requestsPerMinute() + " requests of this minute.",
                    secondsUntil(now, window.plus(Duration.ofMinutes(1))));
        }
    }

    @Override
    public void admit(Actor.Client client, PatientRef patient) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.HOURS);
        if (!usage.admitPatient(
                client.establishment(), client.clientId(), window, patient.id(), quotas.patientsPerHour())) {
            log.info("Program {} over its quota of distinct patients per hour", client.clientId());
            throw new TooManyRequestsException(
                    PATIENTS,
                    "This program was shown its " + quotas.patientsPerHour() + " distinct patients of this hour.",
                    secondsUntil(now, window.plus(Duration.ofHours(1))));
        }
    }

    /** Forgets the windows that ended more than an hour ago. */
    void prune() {
        usage.prune(clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));
    }

    private static long secondsUntil(Instant now, Instant end) {
        return (Duration.between(now, end).toMillis() + 999) / 1000;
    }
}
