package org.carnet.clients.web;

import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.carnet.clients.internal.ClientStore;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;

/**
 * Who may let a program act for them, checked once the person is signed in and before anything is
 * stored: a practitioner, staff member or administrator of the program's own establishment. Anyone
 * else (a patient, a professional of another establishment, a security officer) is refused with
 * {@code access_denied}. Consent is then asked every time (Carnet remembers none), so this is the
 * authorization server's consent rule too.
 */
final class ProfessionalsOfTheEstablishment implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final Set<Role> PROFESSIONALS = Set.of(Role.PRACTITIONER, Role.STAFF, Role.ESTABLISHMENT_ADMIN);

    private final ClientStore clients;

    ProfessionalsOfTheEstablishment(ClientStore clients) {
        this.clients = clients;
    }

    @Override
    public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        UUID clientId = UUID.fromString(context.getRegisteredClient().getId());
        boolean allowed = SignedIn.current()
                .filter(person -> PROFESSIONALS.contains(person.role()))
                .map(Actor.Person::establishment)
                .flatMap(establishment -> clients.find(clientId)
                        .map(client -> client.establishment().equals(establishment)))
                .orElse(false);
        if (!allowed) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error(
                            OAuth2ErrorCodes.ACCESS_DENIED,
                            "Only a professional of the program's establishment may authorize it",
                            null),
                    context.getAuthentication());
        }
        return true;
    }
}
