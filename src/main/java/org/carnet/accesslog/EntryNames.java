package org.carnet.accesslog;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.RecordedActor;
import org.carnet.clients.Clients;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.identity.Logins;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.springframework.stereotype.Component;

/**
 * Names the establishment and, for a practitioner, the person behind each entry, for a third-party
 * program its name; one look-up per distinct id.
 */
@Component
class EntryNames {

    private final Directory directory;
    private final Logins logins;
    private final Clients clients;

    EntryNames(Directory directory, Logins logins, Clients clients) {
        this.directory = directory;
        this.logins = logins;
        this.clients = clients;
    }

    List<ShownEntry> shown(List<AuditEntry> entries) {
        Set<UUID> establishmentIds = new HashSet<>();
        for (AuditEntry entry : entries) {
            if (entry.establishmentId() != null) {
                establishmentIds.add(entry.establishmentId());
            }
        }
        Map<UUID, Establishment> establishments = directory.establishments(establishmentIds);
        Map<UUID, Optional<String>> practitioners = new HashMap<>();
        Map<UUID, String> programs = clients.names(entries.stream()
                .filter(entry -> entry.actor().type() == RecordedActor.Type.CLIENT
                        && entry.actor().id() != null)
                .map(entry -> entry.actor().id())
                .toList());
        return entries.stream()
                .map(entry -> shown(entry, establishments, practitioners, programs))
                .toList();
    }

    ShownEntry shown(
            AuditEntry entry,
            Map<UUID, Establishment> establishments,
            Map<UUID, Optional<String>> practitioners,
            Map<UUID, String> programs) {
        Establishment establishment =
                entry.establishmentId() == null ? null : establishments.get(entry.establishmentId());
        String practitioner = entry.actor().id() != null
                        && Role.PRACTITIONER.name().equals(entry.actor().role())
                ? practitioners
                        .computeIfAbsent(entry.actor().id(), this::practitionerName)
                        .orElse(null)
                : null;
        String program = entry.actor().type() == RecordedActor.Type.CLIENT
                        && entry.actor().id() != null
                ? programs.get(entry.actor().id())
                : null;
        return new ShownEntry(
                entry.id(),
                entry.occurredAt(),
                entry.establishmentId(),
                establishment == null ? null : establishment.name(),
                entry.actor().type().name(),
                entry.actor().id(),
                entry.actor().role(),
                practitioner,
                program,
                entry.onBehalfOf(),
                entry.patientId(),
                entry.action().name(),
                entry.resource(),
                entry.fields(),
                entry.purpose(),
                entry.outcome().name(),
                entry.position());
    }

    private Optional<String> practitionerName(UUID userId) {
        return logins.byId(userId)
                .filter(principal -> principal.role() == Role.PRACTITIONER)
                .map(Actor.Person::subjectId)
                .flatMap(directory::practitioner)
                .map(Practitioner::displayName);
    }
}
