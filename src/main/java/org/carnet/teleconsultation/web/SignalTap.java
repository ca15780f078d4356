package org.carnet.teleconsultation.web;

import java.util.List;
import java.util.UUID;

/**
 * What the signalling relay delivers for each frame it forwards: the frame itself. It is a seam for the
 * tests that play a server which alters, swaps or replays signalling (a test configuration replaces this
 * bean); the receiving browser must refuse what they deliver, since each message is sealed end to end.
 */
@FunctionalInterface
public interface SignalTap {

    /**
     * The frames to deliver to the other party in place of {@code frame}.
     *
     * @param appointmentId the consultation whose room relays it
     * @param frame the frame as the relay would deliver it (JSON text)
     */
    List<String> deliver(UUID appointmentId, String frame);
}
