package org.carnet.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Spring Security's WebAuthn relying party (webauthn4j does the verification) with Carnet's rules
 * around it: a professional's passkey must verify its user (PIN or biometrics) when it is registered
 * and at every sign-in, since it stands for both factors; and adding a passkey tells the owner
 * ({@link PasskeyAdded}, in the transaction that stores it).
 */
class PasskeyRelyingParty implements WebAuthnRelyingPartyOperations {

    /** The "user verified" flag of the authenticator data (WebAuthn §6.1): byte 32, bit 2. */
    private static final int FLAGS = 32;

    private static final int USER_VERIFIED = 0x04;

    private final WebAuthnRelyingPartyOperations verifier;
    private final Function<String, Optional<CarnetPrincipal>> logins;
    private final ApplicationEventPublisher events;
    private final TransactionOperations transactions;
    private final Clock clock;

    PasskeyRelyingParty(
            WebAuthnRelyingPartyOperations verifier,
            Function<String, Optional<CarnetPrincipal>> logins,
            ApplicationEventPublisher events,
            TransactionOperations transactions,
            Clock clock) {
        this.verifier = verifier;
        this.logins = logins;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** webauthn4j's relying party for this site, asking professionals for user verification. */
    static Webauthn4JRelyingPartyOperations verifier(
            PublicKeyCredentialUserEntityRepository users,
            UserCredentialRepository credentials,
            SecurityProperties properties) {
        Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(
                users,
                credentials,
                PublicKeyCredentialRpEntity.builder()
                        .id(properties.passkeyRpId())
                        .name("Carnet")
                        .build(),
                properties.passkeyOrigins());
        // Called on the request thread that asks for the options, with the signed-in user in its context.
        operations.setCustomizeCreationOptions(options -> {
            if (CarnetPrincipal.current().map(p -> p.role().professional()).orElse(false)) {
                options.authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .userVerification(UserVerificationRequirement.REQUIRED)
                        .residentKey(ResidentKeyRequirement.REQUIRED)
                        .build());
            }
        });
        return operations;
    }

    @Override
    public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
            PublicKeyCredentialCreationOptionsRequest request) {
        return verifier.createPublicKeyCredentialCreationOptions(request);
    }

    @Override
    public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
        CredentialRecord record = transactions.execute(status -> {
            CredentialRecord registered = verifier.registerCredential(request);
            logins.apply(request.getCreationOptions().getUser().getName())
                    .ifPresent(owner -> events.publishEvent(
                            new PasskeyAdded(owner.userId(), owner.subjectId(), owner.role(), clock.instant())));
            return registered;
        });
        if (record == null) {
            throw new IllegalStateException("The passkey was not stored");
        }
        return record;
    }

    @Override
    public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
            PublicKeyCredentialRequestOptionsRequest request) {
        return verifier.createCredentialRequestOptions(request);
    }

    @Override
    public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
        PublicKeyCredentialUserEntity user = verifier.authenticate(request);
        // The options cannot ask for it (the user is not known before the assertion): checked after it,
        // on authenticator data whose signature has just been verified.
        boolean professional =
                logins.apply(user.getName()).map(p -> p.role().professional()).orElse(true);
        if (professional && !userVerified(request)) {
            throw new BadCredentialsException("A professional's passkey must verify its user");
        }
        return user;
    }

    private static boolean userVerified(RelyingPartyAuthenticationRequest request) {
        byte[] data =
                request.getPublicKey().getResponse().getAuthenticatorData().getBytes();
        return data.length > FLAGS && (data[FLAGS] & USER_VERIFIED) != 0;
    }

    /** The login a passkey's user name (the login id) names. */
    static Function<String, Optional<CarnetPrincipal>> loginsOf(Logins logins) {
        return name -> {
            try {
                return logins.principal(UUID.fromString(name));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        };
    }
}
