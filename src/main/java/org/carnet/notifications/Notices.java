package org.carnet.notifications;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.carnet.notifications.internal.Outbox;
import org.carnet.notifications.internal.OutgoingMessages;
import org.carnet.notifications.internal.VerificationCodes;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientContact;
import org.carnet.shared.Purpose;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells someone what happened, once per event: in their inbox and, for a patient, by e-mail or SMS as
 * they chose, with a verification code. Everything a notice writes (the event's key, the inbox
 * message, the code, the outgoing message in the outbox) commits together or not at all, so a listener
 * that the event publication registry delivers again after a failure or a restart writes nothing
 * twice. Professionals are told in their inbox only: Carnet keeps no address to write to them at,
 * except the one an invitation is sent to ({@link #sendByEmail}).
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
    private final Clock clock;

    Notices(
            JdbcClient jdbc,
            Inbox inbox,
            PatientAccounts accounts,
            NotificationPreferences preferences,
            VerificationCodes codes,
            OutgoingMessages messages,
            Outbox outbox,
            Clock clock) {
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
        if (!fresh(eventKey)) {
            return false;
        }
        Optional<PatientContact> contact = to.kind() == Recipient.Kind.PATIENT
                ? accounts.contact(to.id(), Inbox.DELIVERY, Purpose.NOTIFICATION)
                : Optional.empty();
        if (contact.isEmpty()) {
            inbox.post(to, kind, params, null);
            return true;
        }
        String code = codes.issue(kind);
        inbox.post(to, kind, params, code);
        NotificationPreferences.Preferences chosen = preferences.of(to);
        PatientContact c = contact.get();
        String address = chosen.channel() == Channel.SMS ? c.phone() : c.email();
        outbox.enqueue(
                to.keyOwner(),
                messages.compose(chosen.channel(), address, c.firstName(), chosen.language(), kind, params, code));
        return true;
    }

    /**
     * Sends a notice to a professional by e-mail at an address Carnet does not keep: an invitee, who has
     * no way into the app yet, at the address their administrator typed. The same message, with its
     * verification code, waits in their inbox for when they have signed in. The address exists only
     * inside the outgoing message, sealed under the professional's key like every outbox envelope, and
     * goes when sent messages are pruned.
     *
     * @param name how the greeting calls them
     * @param params as for {@link #send}
     * @return false when the event already had its notice
     */
    @Transactional
    public boolean sendByEmail(
            String eventKey, Recipient to, String address, String name, Locale language, String kind, List<?> params) {
        if (to.kind() != Recipient.Kind.PROFESSIONAL) {
            throw new IllegalArgumentException("A patient is written to at the address of their account");
        }
        if (!fresh(eventKey)) {
            return false;
        }
        String code = codes.issue(kind);
        inbox.post(to, kind, params, code);
        outbox.enqueue(to.keyOwner(), messages.compose(Channel.EMAIL, address, name, language, kind, params, code));
        return true;
    }

    /** Records the event's notice; false if it already had one. */
    private boolean fresh(String eventKey) {
        return jdbc.sql("INSERT INTO notices (event_key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
                        .params(eventKey, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                        .update()
                == 1;
    }
}
