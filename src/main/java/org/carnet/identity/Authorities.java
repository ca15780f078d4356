package org.carnet.identity;

import java.util.List;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The stages of a page sign-in. Only a fully signed-in user holds a role; after the password alone a
 * user holds one of the intermediate authorities, which open only the second-factor pages or, when a
 * security officer required new credentials, the renewal page.
 */
final class Authorities {

    /** Password checked; the user's second factor is still to be given. */
    static final String SECOND_FACTOR_PENDING = "SECOND_FACTOR_PENDING";
    /** Password checked; a professional without a second factor may only enrol one. */
    static final String SECOND_FACTOR_ENROLMENT = "SECOND_FACTOR_ENROLMENT";
    /** Every factor given, but a security officer required new credentials: only a new password may be chosen. */
    static final String RENEWAL_PENDING = "RENEWAL_PENDING";
    /** Every factor the account requires was given. */
    static final String SIGNED_IN = "SIGNED_IN";

    private Authorities() {}

    static List<GrantedAuthority> full(Role role) {
        return List.of(new SimpleGrantedAuthority(role.authority()), new SimpleGrantedAuthority(SIGNED_IN));
    }

    /** Whether this authentication has given every factor its account requires. */
    static boolean signedIn(@Nullable Authentication authentication) {
        return authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> SIGNED_IN.equals(a.getAuthority()));
    }

    static List<GrantedAuthority> only(String stage) {
        return List.of(new SimpleGrantedAuthority(stage));
    }
}
