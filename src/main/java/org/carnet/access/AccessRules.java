package org.carnet.access;

import java.util.EnumSet;
import java.util.Set;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.DataCategory;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;

/**
 * The rules, as one pure function of the actor, the target and what is known of their relation.
 * Stated per kind of actor and role: what categories of a patient's data it may touch, and under
 * which condition.
 */
final class AccessRules {

    private static final Set<DataCategory> EVERYTHING = EnumSet.allOf(DataCategory.class);
    private static final Set<DataCategory> CLINICAL =
            EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA, DataCategory.MEDICAL);
    private static final Set<DataCategory> ADMINISTRATIVE =
            EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA);
    private static final Set<DataCategory> REVIEW = EnumSet.of(DataCategory.ACCESS_LOG);

    /**
     * What is known of the actor's relation to the patient, looked up only where a rule needs it.
     *
     * @param careRelationship a practitioner has or had an appointment with the patient there
     * @param fileInEstablishment the establishment holds a file for the patient
     */
    record Relation(boolean careRelationship, boolean fileInEstablishment) {}

    private AccessRules() {}

    /**
     * Whether the request changes an establishment's patient data, which its read-only mode refuses: a
     * creation, change or deletion by a person or a program of anything but the access log, an export
     * (a read of the establishment), a message in a patient's inbox, a patient's copy of their data, or a
     * public key. A patient's own new e-mail address is still copied into the establishment's file of them
     * (their account stays theirs to keep current).
     * The platform's own jobs (reminders, notices, exports) are not held back.
     */
    static boolean changesEstablishmentData(AccessRequest request) {
        boolean change = request.action() == Action.CREATE
                || request.action() == Action.UPDATE
                || request.action() == Action.DELETE;
        boolean byPersonOrProgram = request.actor() instanceof Actor.Person || request.actor() instanceof Actor.Client;
        boolean data = switch (request.resource()) {
            case ACCESS_LOG, EXPORT, INBOX_MESSAGE, DATA_COPY, PUBLIC_KEY, ACCOUNT_KEY -> false;
            default -> true;
        };
        // A patient's new e-mail address copied into the files holding it: their account, kept current.
        boolean ownAddress = request.purpose() == Purpose.SELF_SERVICE
                && request.resource() == Resource.PATIENT_FILE
                && request.actor() instanceof Actor.Person person
                && person.role() == Role.PATIENT;
        return change && byPersonOrProgram && data && !ownAddress && request.establishment() != null;
    }

    /** The categories the actor may touch. */
    static Set<DataCategory> allowed(AccessRequest request, Relation relation) {
        if (request.actor() instanceof Actor.Person person) {
            return allowed(person, request, relation);
        }
        if (request.actor() instanceof Actor.System && request.purpose() == Purpose.EXPORT) {
            // The export job reads an approved export's files (identity, contact, appointment times; never
            // the motive) into the recipient's encrypted file, and records its download; it also reads the
            // teleconsultations' ciphertext and the establishment's access log when the export holds them.
            boolean reads = request.action() == Action.READ
                    && (request.resource() == Resource.PATIENT_FILE || request.resource() == Resource.APPOINTMENT);
            boolean hands = request.action() == Action.EXECUTE && request.resource() == Resource.EXPORT;
            if (reads || hands) {
                return ADMINISTRATIVE;
            }
            if (request.action() != Action.READ) {
                return Set.of();
            }
            // Teleconsultation content leaves as the ciphertext Carnet holds (it cannot open it), with the
            // consultation keys wrapped to the establishment: medical, but never intelligible to Carnet.
            if (request.fields().stream().allMatch(org.carnet.shared.Field::servedAsCiphertext)) {
                return EnumSet.of(DataCategory.MEDICAL);
            }
            // The establishment's own access log (ids only), for the dates of the export.
            return request.resource() == Resource.ACCESS_LOG ? REVIEW : Set.of();
        }
        if (request.actor() instanceof Actor.System) {
            // The platform's own jobs only tell patients about their appointments: in their inbox, and
            // by e-mail or SMS, for which they read the patient's first name and contact.
            if (request.purpose() != Purpose.NOTIFICATION) {
                return Set.of();
            }
            if (request.resource() == Resource.INBOX_MESSAGE && request.action() == Action.CREATE) {
                return EnumSet.of(DataCategory.AGENDA);
            }
            if (request.resource() == Resource.PATIENT_ACCOUNT && request.action() == Action.READ) {
                return EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT);
            }
            return Set.of();
        }
        if (request.actor() instanceof Actor.Client client) {
            // A program acts within its own establishment, on the patients it holds a file for, and sees
            // only what its scopes name (issue 13): times with Appointment.r/s, identity with Patient.r,
            // contact and the motive each with their own Carnet scope.
            Set<DataCategory> program = allowed(client, request, relation);
            Actor.Person user = client.user();
            if (user == null || program.isEmpty()) {
                return program;
            }
            // Acting for a signed-in professional (user/ scopes): never beyond that person's own rights.
            Set<DataCategory> both = EnumSet.noneOf(DataCategory.class);
            both.addAll(program);
            both.retainAll(allowed(user, request, relation));
            return both;
        }
        return Set.of();
    }

    private static Set<DataCategory> allowed(Actor.Client client, AccessRequest request, Relation relation) {
        boolean own = request.establishment() != null && request.establishment().equals(client.establishment());
        if (request.resource() == Resource.ACCESS_LOG) {
            // Its own entries of the access log (FHIR AuditEvent), which name only patients it was
            // shown: what it did itself, never what anyone else did (the reading picks them so).
            return own && request.purpose() == Purpose.ACCESS_REVIEW
                    ? ProgramScopes.allowed(client, request.resource(), request.action())
                    : Set.of();
        }
        return own && relation.fileInEstablishment()
                ? ProgramScopes.allowed(client, request.resource(), request.action())
                : Set.of();
    }

    /** The person whose rights apply: the actor itself, or the professional a program acts for. */
    static Actor.@org.jspecify.annotations.Nullable Person person(AccessRequest request) {
        if (request.actor() instanceof Actor.Person person) {
            return person;
        }
        return request.actor() instanceof Actor.Client client ? client.user() : null;
    }

    private static Set<DataCategory> allowed(Actor.Person actor, AccessRequest request, Relation relation) {
        boolean ownEstablishment = inOwnEstablishment(actor, request);
        if (request.resource() == Resource.EXPORT) {
            // An export hands a whole establishment's administrative data over: its administrator asks
            // for it and follows it; the platform's security officer approves it (the two-person rule
            // that the requester cannot approve is the export's own, checked where it is approved), and
            // after the contract destroys the establishment's keys (DELETE), once an export was received.
            if (request.purpose() != Purpose.EXPORT) {
                return Set.of();
            }
            return switch (actor.role()) {
                case ESTABLISHMENT_ADMIN ->
                    ownEstablishment && (request.action() == Action.CREATE || request.action() == Action.READ)
                            ? ADMINISTRATIVE
                            : Set.of();
                case SECURITY_OFFICER ->
                    request.action() == Action.UPDATE
                                    || request.action() == Action.READ
                                    || request.action() == Action.EXECUTE
                                    || request.action() == Action.DELETE
                            ? ADMINISTRATIVE
                            : Set.of();
                default -> Set.of();
            };
        }
        if (request.resource() == Resource.ACCESS_LOG) {
            // The access log's entries: a patient their own; an administrator their establishment's; the
            // platform's security officer any establishment's, to investigate (read only, ids only).
            return switch (actor.role()) {
                case PATIENT -> isSelf(actor, request) ? REVIEW : Set.of();
                case ESTABLISHMENT_ADMIN -> ownEstablishment ? REVIEW : Set.of();
                // The security officer investigating (an incident's scope, FHIR AuditEvents): any
                // establishment's entries, ids only.
                case SECURITY_OFFICER ->
                    request.action() == Action.READ && request.purpose() == Purpose.INVESTIGATION ? REVIEW : Set.of();
                default -> Set.of();
            };
        }
        return switch (actor.role()) {
            // A patient sees all of their own data, account-level or in any establishment's file.
            case PATIENT -> isSelf(actor, request) ? EVERYTHING : Set.of();
            // A practitioner: the patients of their own establishment with whom there is a care relationship.
            case PRACTITIONER -> ownEstablishment && relation.careRelationship() ? CLINICAL : Set.of();
            // Staff and administrators run the establishment's agendas: identity, contact, times; never
            // medical, and only for patients the establishment has a file for (or a new file it creates).
            case STAFF, ESTABLISHMENT_ADMIN ->
                ownEstablishment && (relation.fileInEstablishment() || createsFile(request))
                        ? ADMINISTRATIVE
                        : Set.of();
            // The security officer reads the access log (ids only), never a patient's data itself.
            case SECURITY_OFFICER -> Set.of();
        };
    }

    /** Whether a rule for this request needs to know if the establishment holds a file for the patient. */
    static boolean needsFileCheck(AccessRequest request) {
        if (request.actor() instanceof Actor.Client client) {
            return request.establishment() != null && request.establishment().equals(client.establishment());
        }
        return ofOwnEstablishment(request, Role.STAFF, Role.ESTABLISHMENT_ADMIN)
                && request.resource() != Resource.ACCESS_LOG
                && request.resource() != Resource.EXPORT
                && !createsFile(request);
    }

    /** Whether a rule for this request needs the practitioner's care relationship. */
    static boolean needsCareRelationship(AccessRequest request) {
        return ofOwnEstablishment(request, Role.PRACTITIONER);
    }

    /** Break-the-glass: only a practitioner in person (never a program acting for one), only within their own establishment. */
    static boolean mayBreakTheGlass(AccessRequest request) {
        return request.actor() instanceof Actor.Person && ofOwnEstablishment(request, Role.PRACTITIONER);
    }

    /** Whether the actor is a person of one of these roles, asking within their own establishment. */
    private static boolean ofOwnEstablishment(AccessRequest request, Role... roles) {
        Actor.Person person = person(request);
        return person != null
                && java.util.Arrays.asList(roles).contains(person.role())
                && inOwnEstablishment(person, request);
    }

    private static boolean inOwnEstablishment(Actor.Person person, AccessRequest request) {
        return request.establishment() != null && request.establishment().equals(person.establishment());
    }

    private static boolean isSelf(Actor.Person actor, AccessRequest request) {
        return request.patient() instanceof PatientRef.Account account
                && account.account().value().equals(actor.subjectId());
    }

    private static boolean createsFile(AccessRequest request) {
        return request.action() == Action.CREATE && request.resource() == Resource.PATIENT_FILE;
    }
}
