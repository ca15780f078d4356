package org.carnet.clients;

import java.time.Clock;
import java.util.HexFormat;
import org.carnet.crypto.BlindIndex;
import org.carnet.shared.Actor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Where a program's ask for an id that names nothing (a miss) is told, before Carnet answers it exactly
 * as before (404). Publishes {@link ProgramAskedForUnknownId}, which breach detection counts; nothing
 * else changes for the program. Called on the request thread, outside any transaction.
 */
@Service
public class UnknownIds {

    private static final String PURPOSE = "program-unknown-id";

    private final BlindIndex index;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    UnknownIds(BlindIndex index, ApplicationEventPublisher events, Clock clock) {
        this.index = index;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The program asked for this resource type by this id and got nothing.
     *
     * @param resource {@code Patient} or {@code Appointment}, as the FHIR resource type
     * @param asked the id or pseudonym as the program sent it; only its keyed hash goes further
     */
    public void missed(Actor.Client client, String resource, String asked) {
        // mac[0] is BlindIndex's format byte; 64 bits of the MAC tell distinct ids apart well enough.
        byte[] mac = index.of(PURPOSE, resource + "|" + asked);
        events.publishEvent(new ProgramAskedForUnknownId(
                client.clientId(),
                client.establishment().value(),
                resource,
                HexFormat.of().formatHex(mac, 1, 9),
                clock.instant()));
    }
}
