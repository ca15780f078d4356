package org.carnet.identity;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Page sign-in: the user name is the e-mail address, looked up through its blind index. */
@Component
class LoginUserDetailsService implements UserDetailsService {

    static final class SignedInUser extends User implements CarnetPrincipal.Holder {
        private final CarnetPrincipal principal;

        SignedInUser(CarnetPrincipal principal, String passwordHash) {
            super(
                    principal.userId().toString(),
                    passwordHash,
                    List.of(new SimpleGrantedAuthority(principal.role().authority())));
            this.principal = principal;
        }

        @Override
        public CarnetPrincipal carnetPrincipal() {
            return principal;
        }
    }

    private final Logins logins;

    LoginUserDetailsService(Logins logins) {
        this.logins = logins;
    }

    @Override
    public UserDetails loadUserByUsername(String email) {
        return logins.find(email)
                .map(login -> new SignedInUser(login.principal(), login.passwordHash()))
                .orElseThrow(() -> new UsernameNotFoundException("No such login"));
    }
}
