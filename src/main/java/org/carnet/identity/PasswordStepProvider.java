package org.carnet.identity;

import java.util.Collection;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The password step of the page sign-in form. A right password signs in fully only an account with
 * no second factor that does not need one; otherwise it opens only the second-factor pages.
 */
@Component
class PasswordStepProvider implements AuthenticationProvider {

    private final SignIn signIn;

    PasswordStepProvider(SignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String email = attempt.getName();
        String password = String.valueOf(attempt.getCredentials());
        if (email.length() > 254 || password.length() > 128) {
            throw new BadCredentialsException("Sign-in refused");
        }
        SignIn.Step step = signIn.password(email, password);
        if (step instanceof SignIn.Step.SignedIn signedIn) {
            return authenticated(
                    signedIn.principal(), Authorities.full(signedIn.principal().role()));
        }
        if (step instanceof SignIn.Step.SecondFactorNeeded pending) {
            return authenticated(pending.principal(), Authorities.only(Authorities.SECOND_FACTOR_PENDING));
        }
        if (step instanceof SignIn.Step.RenewalNeeded renewal) {
            return authenticated(renewal.principal(), Authorities.only(Authorities.RENEWAL_PENDING));
        }
        if (step instanceof SignIn.Step.EnrolmentNeeded enrolment) {
            return authenticated(enrolment.principal(), Authorities.only(Authorities.SECOND_FACTOR_ENROLMENT));
        }
        throw new BadCredentialsException("Sign-in refused");
    }

    static UsernamePasswordAuthenticationToken authenticated(
            CarnetPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
        return UsernamePasswordAuthenticationToken.authenticated(new SignedInUser(principal), null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
