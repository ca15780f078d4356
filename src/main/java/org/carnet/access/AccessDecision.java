package org.carnet.access;

import java.util.List;
import java.util.Set;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.identity.Role;
import org.carnet.shared.NotFoundException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one place that decides whether an actor may touch a patient's data, and records the outcome.
 * An allowed access is recorded in the caller's transaction (it commits with the access); a denied
 * one in a transaction of its own, so that the refusal stays on the log although the request fails.
 */
@Service
public class AccessDecision {

    private final AuditLog audit;
    private final ObjectProvider<CareRelationships> careRelationships;
    private final BreakTheGlassLog breakTheGlass;
    private final TransactionTemplate ownTransaction;

    AccessDecision(
            AuditLog audit,
            ObjectProvider<CareRelationships> careRelationships,
            BreakTheGlassLog breakTheGlass,
            PlatformTransactionManager transactions) {
        this.audit = audit;
        this.careRelationships = careRelationships;
        this.breakTheGlass = breakTheGlass;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Grants the requested fields the actor may touch (possibly none) and records both parts. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant decide(AccessRequest request) {
        Set<DataCategory> allowed = AccessRules.allowed(request, careRelationship(request));
        List<String> granted = request.fields().stream()
                .filter(field -> allowed.contains(DataCategory.of(field)))
                .toList();
        List<String> refused = request.fields().stream()
                .filter(field -> !granted.contains(field))
                .toList();
        if (!granted.isEmpty()) {
            audit.record(event(request, granted, request.purpose(), AccessEvent.Outcome.ALLOWED));
        }
        if (!refused.isEmpty()) {
            recordDenied(request, refused);
        }
        return new Grant(granted);
    }

    /**
     * All the requested fields or nothing.
     *
     * @throws NotFoundException when any field is refused: the actor learns nothing, not even that the record exists
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void require(AccessRequest request) {
        Set<DataCategory> allowed = AccessRules.allowed(request, careRelationship(request));
        boolean all = request.fields().stream().allMatch(field -> allowed.contains(DataCategory.of(field)));
        if (!all) {
            recordDenied(request, request.fields());
            throw new NotFoundException(request.resource());
        }
        audit.record(event(request, request.fields(), request.purpose(), AccessEvent.Outcome.ALLOWED));
    }

    /**
     * Break-the-glass: a practitioner opens a file of their own establishment outside the care rule,
     * giving a reason. Allowed, recorded with the purpose {@code break-the-glass}, and flagged for the
     * establishment administrator's review.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant breakTheGlass(AccessRequest request, String reason) {
        if (!AccessRules.mayBreakTheGlass(request)) {
            recordDenied(request, request.fields());
            return new Grant(List.of());
        }
        breakTheGlass.flag(request, reason);
        audit.record(event(request, request.fields(), BreakTheGlassLog.PURPOSE, AccessEvent.Outcome.ALLOWED));
        return new Grant(request.fields());
    }

    private boolean careRelationship(AccessRequest request) {
        if (request.actor().role() != Role.PRACTITIONER || request.establishmentId() == null) {
            return false;
        }
        CareRelationships care = careRelationships.getIfAvailable();
        return care != null && care.exists(request.actor().subjectId(), request.establishmentId(), request.patientId());
    }

    private void recordDenied(AccessRequest request, List<String> fields) {
        ownTransaction.executeWithoutResult(
                status -> audit.record(event(request, fields, request.purpose(), AccessEvent.Outcome.DENIED)));
    }

    private static AccessEvent event(
            AccessRequest request, List<String> fields, String purpose, AccessEvent.Outcome outcome) {
        return new AccessEvent(
                request.actor().actor(),
                request.actor().role() == Role.PATIENT ? request.actor().subjectId() : null,
                request.patientId(),
                request.establishmentId(),
                request.action(),
                request.resource(),
                fields,
                purpose,
                outcome);
    }
}
