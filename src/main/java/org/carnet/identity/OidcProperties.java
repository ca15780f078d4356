package org.carnet.identity;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Professional sign-in through OpenID Connect (Pro Santé Connect, or any provider that puts the RPPS
 * number in a claim). Off unless {@code issuer-uri} is set.
 *
 * @param issuerUri the provider's issuer; its discovery document ({@code /.well-known/openid-configuration})
 *     is read at the first sign-in. Pro Santé Connect: {@code https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet}
 * @param clientId Carnet's client id at the provider
 * @param clientSecret Carnet's client secret, from the environment ({@code CARNET_SECURITY_OIDC_CLIENT_SECRET})
 * @param rppsClaim the claim (of the ID token or of the user info) carrying the RPPS number; Pro Santé
 *     Connect's {@code SubjectNameID} holds the national id, {@code 8} followed by the 11-digit RPPS
 * @param scopes the scopes asked for; Pro Santé Connect: {@code openid} and {@code scope_all}
 * @param acrValues the {@code acr_values} asked for, none if empty; Pro Santé Connect requires {@code eidas1}
 * @param displayName the provider's name on the sign-in page
 */
@ConfigurationProperties("carnet.security.oidc")
record OidcProperties(
        @Nullable String issuerUri,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @DefaultValue("SubjectNameID") String rppsClaim,
        @DefaultValue({"openid", "scope_all"}) List<String> scopes,
        @DefaultValue("eidas1") String acrValues,
        @DefaultValue("Pro Santé Connect") String displayName) {

    /** The registration id in Carnet's URLs: {@code /oauth2/authorization/psc}, {@code /login/oauth2/code/psc}. */
    static final String REGISTRATION = "psc";

    boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    /**
     * The RPPS number a claim value carries: 11 digits as such, or Pro Santé Connect's national id
     * ({@code 8} then the 11 digits); anything else carries none.
     */
    static @Nullable String rppsOf(@Nullable Object claim) {
        if (!(claim instanceof String value)) {
            return null;
        }
        if (value.matches("[0-9]{11}")) {
            return value;
        }
        if (value.matches("8[0-9]{11}")) {
            return value.substring(1);
        }
        return null;
    }

    @Override
    public String toString() {
        return "OidcProperties[issuerUri=" + issuerUri + ", clientId=" + clientId + ", clientSecret=(redacted)"
                + ", rppsClaim=" + rppsClaim + "]";
    }
}
