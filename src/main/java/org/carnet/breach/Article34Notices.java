package org.carnet.breach;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.carnet.breach.IncidentScope.FieldExposure;
import org.carnet.breach.internal.IncidentStore;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.shared.Actor;
import org.carnet.shared.NotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The security officer's decision to tell the patients of one establishment (GDPR Article 34): every patient
 * of the incident's exact scope of whom something identifying left in clear is told what left, in their
 * inbox and by a link-free message with its verification code (the notifications module does the telling,
 * once per patient and incident). Patients of whom only ciphertext or pseudonymous agenda data left are not:
 * Article 34(3)(a). The decision is on the incident's timeline.
 */
@Service
public class Article34Notices {

    /**
     * What was decided.
     *
     * @param patients patients to be told (those with an account are told by Carnet; the others are files of
     *     patients known only to the practice, which tells them itself)
     * @param exempt patients of the establishment's scope of whom nothing intelligible left
     */
    public record PatientsTold(int patients, int exempt) {}

    private final IncidentScopes scopes;
    private final Incidents incidents;
    private final IncidentStore store;
    private final Directory directory;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transactions;

    Article34Notices(
            IncidentScopes scopes,
            Incidents incidents,
            IncidentStore store,
            Directory directory,
            ApplicationEventPublisher events,
            Clock clock,
            PlatformTransactionManager transactionManager) {
        this.scopes = scopes;
        this.incidents = incidents;
        this.store = store;
        this.directory = directory;
        this.events = events;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Tells the establishment's exposed patients.
     *
     * @throws NotFoundException when there is no such incident, or it does not concern the establishment
     */
    public PatientsTold tell(Actor.Person officer, UUID incidentId, UUID establishmentId) {
        incidents.concerning(officer, incidentId, establishmentId);
        IncidentScope scope = scopes.scope(officer, incidentId, null, null);
        List<PatientsToBeTold.Exposed> exposed = scope.patients().stream()
                .filter(p -> p.establishmentId().equals(establishmentId))
                .filter(p -> p.exposure() == IncidentScope.Exposure.INTELLIGIBLE)
                .map(p -> {
                    List<String> clear = p.fields().stream()
                            .filter(FieldExposure::intelligible)
                            .map(FieldExposure::field)
                            .toList();
                    return new PatientsToBeTold.Exposed(
                            p.patientId(), FieldWords.say(clear, 0), FieldWords.say(clear, 1));
                })
                .toList();
        int exempt = scope.establishments().stream()
                .filter(e -> e.establishmentId().equals(establishmentId))
                .mapToInt(IncidentScope.EstablishmentScope::patientsCiphertextOrPseudonymOnly)
                .sum();
        String name = directory
                .establishment(establishmentId)
                .map(Establishment::name)
                .orElse("votre établissement");
        transactions.executeWithoutResult(status -> {
            events.publishEvent(
                    new PatientsToBeTold(incidentId, establishmentId, name, scope.from(), scope.to(), exposed));
            store.append(
                    incidentId,
                    clock.instant(),
                    "NOTIFICATION",
                    "article-34",
                    officer.userId(),
                    exposed.size() + " patients of establishment " + establishmentId
                            + " to be told (Article 34); " + exempt
                            + " exempt: nothing intelligible left about them");
        });
        return new PatientsTold(exposed.size(), (int) exempt);
    }
}
