package org.carnet.breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An incident as the security officer sees it.
 *
 * @param awareAt when the platform became aware (the first rule hit): starts the 72-hour clock of GDPR
 *     Article 33
 * @param notifyBy awareAt + 72 hours: when the supervisory authority must have been notified
 * @param rules the rules that fired, in the order they first fired
 * @param establishments the establishments concerned (each a controller with its own notification)
 * @param clientId the program the incident is about, if any
 * @param userId the login the incident is about, if any
 * @param exportId the export the incident is about, if any (its link replayed or presented from elsewhere)
 * @param patientsRead distinct patients the subject read in its establishments over the past day, from the
 *     access log, when listed
 * @param timeline rule hits, containment, the access log's listing, oldest first
 */
public record IncidentView(
        UUID id,
        String status,
        Severity severity,
        List<String> rules,
        Instant awareAt,
        Instant notifyBy,
        List<UUID> establishments,
        @Nullable UUID clientId,
        @Nullable UUID userId,
        @Nullable UUID exportId,
        int patientsRead,
        List<TimelineEntry> timeline) {

    public IncidentView {
        rules = List.copyOf(rules);
        establishments = List.copyOf(establishments);
        timeline = List.copyOf(timeline);
    }

    /**
     * One moment of an incident.
     *
     * @param kind {@code RULE} (a rule fired), {@code CONTAINMENT} (an action taken), {@code SCOPE} (what the
     *     subject read, from the access log)
     * @param code the rule's or the action's code
     * @param by the security officer who acted, {@code null} for the platform itself
     * @param details what was seen or done: ids and numbers
     */
    public record TimelineEntry(
            Instant at, String kind, String code, @Nullable UUID by, String details) {}
}
