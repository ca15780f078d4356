package org.carnet.administration;

import java.util.Locale;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.identity.EmailAddresses;
import org.carnet.identity.EnrolmentCodes;
import org.carnet.identity.Logins;
import org.carnet.notifications.Notices;
import org.carnet.notifications.Recipient;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Practitioner and staff logins, made by invitation: the administrator gives the person's e-mail (and,
 * for a practitioner, which entry of the establishment's directory they are); the login is created
 * with a password nobody knows, and a one-time enrolment code ({@link EnrolmentCodes#VALIDITY}) goes
 * by e-mail to that address only, with which the invitee chooses their own password and enrols their
 * second factor on {@code /enrol}. The administrator never sees or sets a password, a code or a
 * second-factor secret. The login, the code and the outgoing e-mail commit together or not at all.
 *
 * <p>A login whose owner has not enrolled yet (the code expired, or went to a wrong address) can be
 * invited again, to the same or another address: a new code replaces the old. Once its owner has
 * enrolled, it is theirs: a practitioner has one login, and no invitation reaches it again.
 */
@Service
public class Invitations {

    /** The practitioner already has their login, enrolled: one per practitioner. */
    public static final class AlreadyHasLogin extends ConflictException {
        AlreadyHasLogin() {
            super("This practitioner already has a login");
        }
    }

    static final String KIND = "invitation";

    private final Directory directory;
    private final EnrolmentCodes codes;
    private final Logins logins;
    private final Notices notices;

    Invitations(Directory directory, EnrolmentCodes codes, Logins logins, Notices notices) {
        this.directory = directory;
        this.codes = codes;
        this.logins = logins;
        this.notices = notices;
    }

    /**
     * Invites a practitioner of the administrator's establishment to their login (again, while they
     * have not enrolled).
     *
     * @param language the language of the e-mail
     * @throws InvalidRequestException for a practitioner who is not of this establishment, or a wrong
     *     address
     * @throws AlreadyHasLogin when the practitioner already has a login they enrolled, or one not made
     *     by invitation
     * @throws ConflictException when the address already has a login
     */
    @Transactional
    public void practitioner(Actor.Person admin, UUID practitionerId, String email, Locale language) {
        UUID establishment = admin.professionalEstablishmentId();
        Practitioner practitioner = directory
                .practitioner(practitionerId)
                .filter(p -> p.establishmentId().equals(establishment))
                .orElseThrow(() -> new InvalidRequestException("practitioner", "not a practitioner here"));
        EnrolmentCodes.IssuedCode code = logins.hasLogin(practitioner.id())
                ? codes.reinvite(practitioner.id(), establishment, email).orElseThrow(AlreadyHasLogin::new)
                : codes.invitePractitioner(practitioner.id(), establishment, email);
        send(
                code,
                Recipient.professional(practitioner.id()),
                email,
                practitioner.displayName(),
                establishment,
                language);
    }

    /**
     * Invites a member of staff (secretariat) of the administrator's establishment; again, if the
     * address is that of a staff login of the establishment not enrolled yet.
     *
     * @throws InvalidRequestException for a missing name or a wrong address
     * @throws ConflictException when the address already has a login
     */
    @Transactional
    public void staff(Actor.Person admin, String name, String email, Locale language) {
        if (name.isBlank() || name.length() > 200) {
            throw new InvalidRequestException("name", "is required, at most 200 characters");
        }
        UUID establishment = admin.professionalEstablishmentId();
        EnrolmentCodes.IssuedCode code = codes.staffWithAddress(establishment, email)
                .flatMap(invited -> codes.reinvite(invited, establishment, email))
                .orElseGet(() -> codes.invite(Role.STAFF, establishment, name.strip(), email));
        // Staff are their own subject: their inbox is their login's.
        send(code, Recipient.professional(code.userId()), email, name.strip(), establishment, language);
    }

    private void send(
            EnrolmentCodes.IssuedCode code,
            Recipient invitee,
            String email,
            String name,
            UUID establishment,
            Locale language) {
        String establishmentName =
                directory.establishment(establishment).map(Establishment::name).orElse("");
        notices.sendInvitation(
                KIND + ":" + code.userId() + ":" + code.expiresAt().toEpochMilli(),
                invitee,
                EmailAddresses.checked(email),
                name,
                language,
                establishmentName,
                code.code(),
                code.expiresAt());
    }
}
