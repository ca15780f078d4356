package org.carnet.administration;

import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Finess;
import org.carnet.identity.EnrolmentCodes;
import org.carnet.identity.Logins;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The platform's first run and its establishments, as the operator's {@code admin} commands do them:
 * each new login gets a one-time enrolment code instead of a password, so that only its owner ever
 * chooses a password and a second factor.
 */
@Service
class Onboarding {

    /** An establishment just created, with its administrator's enrolment code. */
    record NewEstablishment(Establishment establishment, EnrolmentCodes.IssuedCode administratorCode) {}

    private final Directory directory;
    private final Logins logins;
    private final EnrolmentCodes codes;

    Onboarding(Directory directory, Logins logins, EnrolmentCodes codes) {
        this.directory = directory;
        this.logins = logins;
        this.codes = codes;
    }

    /**
     * Creates the platform's first security officer.
     *
     * @throws ConflictException when the platform already has one (later officers are not made here)
     */
    @Transactional
    EnrolmentCodes.IssuedCode firstSecurityOfficer(String email, String name) {
        if (logins.anyWithRole(Role.SECURITY_OFFICER)) {
            throw new ConflictException("The platform already has a security officer");
        }
        return codes.invite(Role.SECURITY_OFFICER, null, name, email);
    }

    /** Creates an establishment and its administrator's login, all or nothing. */
    @Transactional
    NewEstablishment establishment(
            Finess finess,
            String name,
            String address,
            String city,
            String postcode,
            String administratorEmail,
            String administratorName) {
        Establishment establishment = directory.addEstablishment(finess, name, address, city, postcode);
        EnrolmentCodes.IssuedCode code =
                codes.invite(Role.ESTABLISHMENT_ADMIN, establishment.id(), administratorName, administratorEmail);
        return new NewEstablishment(establishment, code);
    }
}
