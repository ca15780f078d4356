package org.carnet.identity;

import java.util.Optional;
import org.carnet.shared.Actor;

/** Who is signed in on the current request, as the actor every other module works with. */
public final class SignedIn {

    private SignedIn() {}

    /** The signed-in person, if any. */
    public static Optional<Actor.Person> current() {
        return CarnetPrincipal.current().map(CarnetPrincipal::person);
    }

    /**
     * Whether this authentication has given every factor its account requires (a page session past its
     * second factor), for security chains outside identity that reuse the page sign-in.
     */
    public static boolean everyFactor(
            org.springframework.security.core.@org.jspecify.annotations.Nullable Authentication authentication) {
        return Authorities.signedIn(authentication);
    }

    /** The signed-in person; the security filters guarantee one on protected paths. */
    public static Actor.Person required() {
        return CarnetPrincipal.required().person();
    }
}
