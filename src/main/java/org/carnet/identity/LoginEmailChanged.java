package org.carnet.identity;

import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published, inside the transaction, when a login's e-mail address changes, so that the module that
 * keeps the sealed address (patients, for patient accounts) updates it. The address is in memory
 * only: it is never logged or stored by the event.
 */
public record LoginEmailChanged(UUID userId, Role role, UUID subjectId, String newEmail) {

    @Override
    public String toString() {
        return "LoginEmailChanged[userId=" + userId + ", role=" + role + "]";
    }
}
