package org.carnet.clients;

import java.util.Optional;
import org.carnet.shared.Actor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the program calling {@code /fhir/**} may do. The {@code /fhir/**} security chain authenticates
 * a valid bearer token of Carnet's authorization server as an {@link Actor.Client} (its client id, its
 * establishment, the scopes the token carries), after checking on this very request that the token is
 * not revoked and its program still {@code ACTIVE}; a request without a token is anonymous.
 *
 * <pre>{@code
 * if (!ClientScopes.holds("system/Appointment.s")) { ... 403 ... }
 * Actor.Client client = ClientScopes.current().orElseThrow();  // acts within client.establishment() only
 * }</pre>
 */
public final class ClientScopes {

    private ClientScopes() {}

    /** The program calling, if the request carries a valid access token. */
    public static Optional<Actor.Client> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Actor.Client client
                ? Optional.of(client)
                : Optional.empty();
    }

    /**
     * Whether the program calling holds a scope that covers {@code scope}: {@code system/Slot.rs} covers
     * {@code system/Slot.r} and {@code system/Slot.s}. False for an anonymous request.
     *
     * @param scope a SMART v2 scope, such as {@code system/Slot.s}
     * @throws org.carnet.shared.InvalidRequestException if {@code scope} is not one (a programming error)
     */
    public static boolean holds(String scope) {
        return current().map(client -> holds(client, scope)).orElse(false);
    }

    /**
     * Whether {@code client} holds a scope that covers {@code scope}. Resources ask in {@code system/}
     * terms; a program acting for a professional holds {@code user/} scopes, so for it the question is
     * read in its own context ({@code system/Slot.s} asks whether it holds {@code user/Slot.s}): the same
     * permission, bounded besides by the professional's own rights where the access decision applies them.
     */
    public static boolean holds(Actor.Client client, String scope) {
        SmartScope asked = SmartScope.parse(scope, "scope");
        SmartScope wanted = asked.context().equals("carnet")
                ? asked
                : new SmartScope(client.scopeContext(), asked.resource(), asked.permissions());
        return client.scopes().stream()
                .map(granted -> SmartScope.parse(granted, "scope"))
                .anyMatch(granted -> granted.covers(wanted));
    }
}
