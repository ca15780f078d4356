package org.carnet.identity;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/** A user's page sessions, as Spring Session keeps them in the database. */
@Component
class Sessions {

    /** One session, as shown on the security page; the id itself is never shown. */
    record ActiveSession(Instant createdAt, Instant lastUsedAt, boolean current) {}

    private final FindByIndexNameSessionRepository<? extends Session> repository;

    Sessions(FindByIndexNameSessionRepository<? extends Session> repository) {
        this.repository = repository;
    }

    List<ActiveSession> of(UUID userId, String currentSessionId) {
        return repository.findByPrincipalName(userId.toString()).values().stream()
                .filter(session -> !session.isExpired())
                .map(session -> new ActiveSession(
                        session.getCreationTime(),
                        session.getLastAccessedTime(),
                        session.getId().equals(currentSessionId)))
                .sorted(Comparator.comparing(ActiveSession::lastUsedAt).reversed())
                .toList();
    }

    /** Ends every session of the user. */
    int endAll(UUID userId) {
        int ended = 0;
        for (String id : repository.findByPrincipalName(userId.toString()).keySet()) {
            repository.deleteById(id);
            ended++;
        }
        return ended;
    }

    /** Ends every session of the user but the given one. */
    int endOthers(UUID userId, String keepSessionId) {
        int ended = 0;
        for (String id : repository.findByPrincipalName(userId.toString()).keySet()) {
            if (!id.equals(keepSessionId)) {
                repository.deleteById(id);
                ended++;
            }
        }
        return ended;
    }
}
