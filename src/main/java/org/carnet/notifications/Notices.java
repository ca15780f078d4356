package org.carnet.notifications;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.KeyShredding;
import org.carnet.notifications.internal.Outbox;
import org.carnet.notifications.internal.OutgoingMessages;
import org.carnet.notifications.internal.VerificationCodes;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientContact;
import org.carnet.shared.Purpose;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells someone what happened, once per event: in their inbox and, for a patient, by e-mail or SMS as
 * they chose, with a verification code. Everything a notice writes (the event's key, the inbox
 * message, the code, the outgoing message in the outbox) commits together or not at all, so a listener
 * that the event publication registry delivers again after a failure or a restart writes nothing
 * twice. Professionals are told in their inbox only: Carnet keeps no address to write to them at,
 * except the one an invitation is sent to ({@link #sendInvitation}).
 */
@Service
public class Notices {

    private final JdbcClient jdbc;
    private final Inbox inbox;
    private final PatientAccounts accounts;
    private final NotificationPreferences preferences;
    private final VerificationCodes codes;
    private final OutgoingMessages messages;
    private final Outbox outbox;
    private final KeyShredding shredding;
    private final Clock clock;

    Notices(
            JdbcClient jdbc,
            Inbox inbox,
            PatientAccounts accounts,
            NotificationPreferences preferences,
            VerificationCodes codes,
            OutgoingMessages messages,
            Outbox outbox,
            KeyShredding shredding,
            Clock clock) {
        this.shredding = shredding;
        this.jdbc = jdbc;
        this.inbox = inbox;
        this.accounts = accounts;
        this.preferences = preferences;
        this.codes = codes;
        this.messages = messages;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Sends a notice unless one was already sent for this event.
     *
     * @param eventKey names the event the notice answers, such as {@code appointment-cancelled:<id>}: ids
     *     and times only, never a personal value
     * @param params each a {@link String} (at most 500 characters) or a {@link java.time.Instant}; at most 10
     * @return false when the event already had its notice
     */
    @Transactional
    public boolean send(String eventKey, Recipient to, String kind, List<?> params) {
        return notify(eventKey, to, kind, params, kind, params, null);
    }

    /**
     * Sends a notice to a patient account, unless the id is not one (a file of a patient known only to a
     * practice, whom the practice tells itself) or the event already had its notice.
     *
     * @return false when nothing was sent
     */
    @Transactional
    public boolean sendToPatientAccount(String eventKey, UUID patientId, String kind, List<?> params) {
        if (!accounts.isAccount(patientId)) {
            return false;
        }
        return send(eventKey, Recipient.patient(patientId), kind, params);
    }

    /**
     * Sends a notice by e-mail whatever channel the patient chose, for what concerns their address
     * itself (someone registering with it).
     */
    @Transactional
    public boolean sendByEmail(String eventKey, Recipient to, String kind, List<?> params) {
        return notify(eventKey, to, kind, params, kind, params, Channel.EMAIL);
    }

    /**
     * Sends a patient the code that confirms their e-mail address, to that address only. Their inbox
     * says that a code was sent, never the code: whoever holds the account may read the inbox, and the
     * point is to prove they also read the address.
     */
    @Transactional
    public boolean sendAddressConfirmation(String eventKey, UUID patientAccountId, String code) {
        return notify(
                eventKey,
                Recipient.patient(patientAccountId),
                "address-confirmation-sent",
                List.of(),
                "address-confirmation",
                List.of(code),
                Channel.EMAIL);
    }

    /**
     * Sends a professional, by e-mail, an invitation to the login made for them: to an address Carnet
     * does not keep, the one their administrator typed, since the invitee has no way into the app yet.
     * The e-mail carries the one-time enrolment code; their inbox says only that an invitation was sent
     * (whoever later reads the inbox need not see a code). The address exists only inside the outgoing
     * message, sealed under the professional's key like every outbox envelope, and goes when sent
     * messages are pruned.
     *
     * @param name how the greeting calls them
     * @param establishment the name of the establishment that invites them
     * @return false when the event already had its notice
     */
    @Transactional
    public boolean sendInvitation(
            String eventKey,
            Recipient to,
            String address,
            String name,
            Locale language,
            String establishment,
            String enrolmentCode,
            Instant expiresAt) {
        if (to.kind() != Recipient.Kind.PROFESSIONAL) {
            throw new IllegalArgumentException("A patient is written to at the address of their account");
        }
        if (!firstNoticeOf(eventKey)) {
            return false;
        }
        String code = codes.issue("invitation-sent");
        inbox.post(to, "invitation-sent", List.of(establishment, expiresAt), code);
        outbox.enqueue(
                to.keyOwner(),
                messages.compose(
                        Channel.EMAIL,
                        address,
                        name,
                        language,
                        "invitation",
                        List.of(establishment, expiresAt, enrolmentCode),
                        code));
        return true;
    }

    private boolean notify(
            String eventKey,
            Recipient to,
            String inboxKind,
            List<?> inboxParams,
            String outgoingKind,
            List<?> outgoingParams,
            @Nullable Channel channel) {
        if (shredding.isShredded(to.keyOwner())) {
            // An erased account (its keys destroyed): nothing can be written to it, nor sent to it, ever.
            return false;
        }
        if (!firstNoticeOf(eventKey)) {
            return false;
        }
        Optional<PatientContact> contact = to.kind() == Recipient.Kind.PATIENT
                ? accounts.contact(to.id(), Inbox.DELIVERY, Purpose.NOTIFICATION)
                : Optional.empty();
        @Nullable String code = contact.isPresent() ? codes.issue(inboxKind) : null;
        inbox.post(to, inboxKind, inboxParams, code);
        if (contact.isPresent() && code != null) {
            NotificationPreferences.Preferences chosen = preferences.of(to);
            Channel by = channel == null ? chosen.channel() : channel;
            PatientContact c = contact.get();
            String address = by == Channel.SMS ? c.phone() : c.email();
            outbox.enqueue(
                    to.keyOwner(),
                    messages.compose(
                            by, address, c.firstName(), chosen.language(), outgoingKind, outgoingParams, code));
        }
        return true;
    }

    /** Claims the event's notice: false when the event already had one (a delivery seen before). */
    private boolean firstNoticeOf(String eventKey) {
        return jdbc.sql("INSERT INTO notices (event_key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                        .params(eventKey, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                        .update()
                == 1;
    }
}
