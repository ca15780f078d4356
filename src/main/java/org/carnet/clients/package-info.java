/**
 * Third-party programs and Carnet's OAuth2 authorization server for them. An establishment's
 * administrator registers a program (its SMART v2 scopes and public keys); a security officer approves
 * or refuses it, and may later suspend, reinstate or revoke it. An approved program gets 5-minute
 * access tokens with the SMART Backend Services flow (client credentials, a {@code private_key_jwt}
 * assertion signed by its registered key), or, with {@code user/} scopes and registered redirect URIs,
 * the authorization code with PKCE for a signed-in professional of its establishment, who consents on
 * Carnet's page; it is then an {@link org.carnet.shared.Actor.Client} under {@code /fhir/**} (acting
 * for that person, if any); {@link org.carnet.clients.ClientScopes} tells what the current program may
 * do. See docs/api.md and docs/security.md.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"access", "crypto", "identity", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.clients;
