package org.carnet.directory;

import java.util.UUID;

/**
 * A practitioner's motives changed (one added or removed): whether they offer a teleconsultation, and
 * so the searches that find them, may have changed. Published inside the change's transaction.
 */
public record MotivesChanged(UUID practitionerId) {}
