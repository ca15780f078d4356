package org.carnet.identity;

import java.io.Serializable;
import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The principal a page session holds: ids and role only, never the e-mail or the password hash, since
 * sessions are stored in the database. Its name is the login id, which is what Spring Session indexes
 * to list a user's sessions.
 */
record SignedInUser(CarnetPrincipal carnetPrincipal)
        implements CarnetPrincipal.Holder, AuthenticatedPrincipal, Serializable {

    @Override
    public String getName() {
        return carnetPrincipal.userId().toString();
    }
}
