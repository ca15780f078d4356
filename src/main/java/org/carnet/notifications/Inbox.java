package org.carnet.notifications;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The in-app inbox. A message is a kind (such as {@code appointment-absence}) and its parameters,
 * sealed under the recipient's key; the page renders it in the reader's language from the messages
 * {@code inbox.<kind>.subject} and {@code inbox.<kind>.body}. Posting to and reading a patient's inbox
 * are recorded in the audit log.
 */
@Service
public class Inbox {

    static final String TABLE = "inbox_messages";
    /**
     * A message's kind and parameters, sealed under its recipient's key (a patient's or a professional's):
     * {@code recipient_type} tells which, as {@link Recipient#keyOwner} maps it.
     */
    static final SealedTable SEALED = SealedTable.shared(
            TABLE,
            "id",
            "recipient_id",
            "recipient_type",
            java.util.Map.of(
                    KeyOwner.Type.PATIENT_ACCOUNT, Recipient.Kind.PATIENT.name(),
                    KeyOwner.Type.PROFESSIONAL, Recipient.Kind.PROFESSIONAL.name()),
            List.of("body", "verification_code"));

    static final int MAX_PARAMS = 10;
    static final int MAX_PARAM_LENGTH = 500;
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final List<Field> FIELDS = List.of(Field.MESSAGE);
    /** Messages are delivered by the platform, whoever's action they report. */
    static final Actor DELIVERY = Actor.system("notification");

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final AccessDecision access;
    private final Clock clock;

    Inbox(JdbcClient jdbc, FieldSealer sealer, AccessDecision access, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.access = access;
        this.clock = clock;
    }

    /**
     * Posts a message, in the caller's transaction if there is one.
     *
     * @param params each a {@link String} (at most 500 characters) or a {@link java.time.Instant}; at most 10
     */
    @Transactional
    public UUID post(Recipient to, String kind, List<?> params) {
        return post(to, kind, params, null);
    }

    /**
     * Posts a message that also went out by e-mail or SMS with a verification code, shown beside it.
     *
     * @param params each a {@link String} (at most 500 characters) or a {@link java.time.Instant}; at most 10
     */
    @Transactional
    public UUID post(Recipient to, String kind, List<?> params, @Nullable String verificationCode) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("A message kind is lower-case letters, digits and hyphens");
        }
        if (params.size() > MAX_PARAMS
                || params.stream().anyMatch(p -> p instanceof String s && s.length() > MAX_PARAM_LENGTH)) {
            throw new IllegalArgumentException("Too many or too long message parameters");
        }
        record(to, DELIVERY, Action.CREATE, Purpose.NOTIFICATION);
        UUID id = UUID.randomUUID();
        // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
        jdbc.sql("INSERT INTO inbox_messages (recipient_type, recipient_id, id, body, verification_code,"
                        + " posted_at) VALUES (?, ?, ?, ?, ?, ?)")
                .param(to.kind().name())
                .param(to.id())
                .param(id)
                .param(sealer.seal(to.keyOwner(), column(id), MessageCodec.encode(kind, params)))
                .param(sealer.seal(to.keyOwner(), SEALED.column("verification_code", id), verificationCode))
                .param(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
        return id;
    }

    /** The recipient's messages, newest first (at most 200), opened for the recipient and recorded as read. */
    @Transactional
    public List<InboxMessage> list(Recipient recipient, Actor actor) {
        record Sealed(UUID id, byte[] body, byte @Nullable [] code, OffsetDateTime postedAt, boolean read) {}
        List<Sealed> sealed = jdbc.sql("SELECT id, body, verification_code, posted_at, read_at FROM inbox_messages"
                        + " WHERE recipient_type = ? AND recipient_id = ? ORDER BY posted_at DESC, id LIMIT 200")
                .params(recipient.kind().name(), recipient.id())
                .query((rs, n) -> new Sealed(
                        rs.getObject("id", UUID.class),
                        rs.getBytes("body"),
                        rs.getBytes("verification_code"),
                        rs.getObject("posted_at", OffsetDateTime.class),
                        rs.getObject("read_at") != null))
                .list();
        if (sealed.isEmpty()) {
            return List.of();
        }
        record(recipient, actor, Action.READ, Purpose.SELF_SERVICE);
        return sealed.stream()
                .map(message -> {
                    MessageCodec.Decoded decoded = MessageCodec.decode(
                            sealer.open(recipient.keyOwner(), column(message.id()), message.body()));
                    return new InboxMessage(
                            message.id(),
                            decoded.kind(),
                            decoded.params(),
                            message.postedAt().toInstant(),
                            message.read(),
                            sealer.open(
                                    recipient.keyOwner(),
                                    SEALED.column("verification_code", message.id()),
                                    message.code()));
                })
                .toList();
    }

    /** How many messages the recipient has not read yet. */
    @Transactional(readOnly = true)
    public int unread(Recipient recipient) {
        return jdbc.sql("SELECT COUNT(*) FROM inbox_messages WHERE recipient_type = ? AND recipient_id = ?"
                        + " AND read_at IS NULL")
                .params(recipient.kind().name(), recipient.id())
                .query(Integer.class)
                .single();
    }

    /** Marks one of the recipient's messages read; false if it is not theirs or already read. */
    @Transactional
    public boolean markRead(Recipient recipient, UUID messageId) {
        return jdbc.sql("UPDATE inbox_messages SET read_at = ? WHERE recipient_type = ? AND recipient_id = ?"
                                + " AND id = ? AND read_at IS NULL")
                        .params(
                                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                                recipient.kind().name(),
                                recipient.id(),
                                messageId)
                        .update()
                == 1;
    }

    private void record(Recipient recipient, Actor actor, Action action, Purpose purpose) {
        if (recipient.kind() != Recipient.Kind.PATIENT) {
            return; // a professional's own messages are not a patient's data
        }
        access.require(AccessRequest.toAccount(
                actor, PatientRef.account(recipient.id()), action, Resource.INBOX_MESSAGE, FIELDS, purpose));
    }

    private static SealedColumn column(UUID id) {
        return SEALED.column("body", id);
    }

    /** The inbox's sealed table, declared to crypto's one list. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class SealedTables {
        @org.springframework.context.annotation.Bean
        SealedTable inboxMessagesTable() {
            return SEALED;
        }
    }
}
