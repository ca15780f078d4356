package org.carnet.clients.web;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

/**
 * Carnet remembers no consent: a professional is asked each time a program wants to act for them (a
 * token lasts 5 minutes and there is no refresh token, so a program comes back through the consent page).
 */
final class NoRememberedConsent implements OAuth2AuthorizationConsentService {

    @Override
    public void save(OAuth2AuthorizationConsent authorizationConsent) {}

    @Override
    public void remove(OAuth2AuthorizationConsent authorizationConsent) {}

    @Override
    public @Nullable OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return null;
    }
}
