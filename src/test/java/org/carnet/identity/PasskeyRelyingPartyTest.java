package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.carnet.shared.Role;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A professional's passkey sign-in is refused when the authenticator did not verify its user (the UV
 * flag of the signed authenticator data); a patient's is not. The signature itself is webauthn4j's
 * business: here it is taken as verified.
 */
class PasskeyRelyingPartyTest {

    static final UUID LOGIN = UUID.randomUUID();

    @Test
    void aProfessionalsPasskeyMustVerifyTheUser() {
        PasskeyRelyingParty party = relyingParty(Role.PRACTITIONER);
        assertThatThrownBy(() -> party.authenticate(assertion(false))).isInstanceOf(BadCredentialsException.class);
        assertThat(party.authenticate(assertion(true)).getName()).isEqualTo(LOGIN.toString());
    }

    @Test
    void aPatientsPasskeyMayNotVerifyTheUser() {
        assertThat(relyingParty(Role.PATIENT).authenticate(assertion(false)).getName())
                .isEqualTo(LOGIN.toString());
    }

    private static PasskeyRelyingParty relyingParty(Role role) {
        CarnetPrincipal principal = new CarnetPrincipal(LOGIN, role, UUID.randomUUID(), null);
        return new PasskeyRelyingParty(
                new Verified(),
                name -> name.equals(LOGIN.toString()) ? Optional.of(principal) : Optional.empty(),
                event -> {},
                TransactionOperations.withoutTransaction(),
                Clock.systemUTC());
    }

    /** An assertion whose authenticator data says whether the user was verified (flags: UP, and UV or not). */
    private static RelyingPartyAuthenticationRequest assertion(boolean userVerified) {
        byte[] authenticatorData = new byte[37];
        authenticatorData[32] = (byte) (0x01 | (userVerified ? 0x04 : 0));
        PublicKeyCredential<AuthenticatorAssertionResponse> credential =
                PublicKeyCredential.<AuthenticatorAssertionResponse>builder()
                        .id("credential")
                        .rawId(new Bytes(new byte[] {1, 2, 3}))
                        .response(AuthenticatorAssertionResponse.builder()
                                .authenticatorData(new Bytes(authenticatorData))
                                .clientDataJSON(new Bytes(new byte[] {'{', '}'}))
                                .signature(new Bytes(new byte[] {0}))
                                .build())
                        .build();
        return new RelyingPartyAuthenticationRequest(
                PublicKeyCredentialRequestOptions.builder()
                        .challenge(Bytes.random())
                        .rpId("localhost")
                        .build(),
                credential);
    }

    /** Stands for webauthn4j having verified the signature: the login the passkey belongs to. */
    static final class Verified implements WebAuthnRelyingPartyOperations {
        @Override
        public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
            return ImmutablePublicKeyCredentialUserEntity.builder()
                    .name(LOGIN.toString())
                    .id(Bytes.random())
                    .displayName("test")
                    .build();
        }

        @Override
        public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
                PublicKeyCredentialCreationOptionsRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
                PublicKeyCredentialRequestOptionsRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
