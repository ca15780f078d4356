package org.carnet.notifications.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShreddedException;
import org.carnet.crypto.SealedTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox: messages written in the transaction of the notice that causes them, then claimed,
 * delivered and acknowledged by {@link OutboxDelivery}. A row is PENDING until a worker claims it
 * (SENDING, with a lease), then SENT, or PENDING again with a later attempt after a failure, or FAILED
 * after the last attempt. A claim whose lease ran out (its worker stopped) is claimed again.
 */
@Component
public class Outbox {

    static final String TABLE = "outbox_messages";
    /**
     * The envelope (address, subject, text, HTML), sealed under the recipient's key: {@code owner_type} names
     * its kind ({@link KeyOwner.Type#name}, as {@link #enqueue} writes it).
     */
    static final SealedTable SEALED = SealedTable.shared(
            TABLE,
            "id",
            "owner_id",
            "owner_type",
            Stream.of(KeyOwner.Type.PATIENT_ACCOUNT, KeyOwner.Type.PROFESSIONAL, KeyOwner.Type.LOGIN)
                    .collect(Collectors.toMap(type -> type, KeyOwner.Type::name)),
            List.of("envelope"));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DUE =
            "((state = 'PENDING' AND next_attempt_at <= ?) OR (state = 'SENDING' AND lease_until < ?))";

    /** A claimed message, opened, with how many attempts it has had including this one. */
    record Claimed(UUID id, Envelope envelope, int attempt) {}

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final Clock clock;

    Outbox(JdbcClient jdbc, FieldSealer sealer, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Queues a message, in the caller's transaction: it leaves only if that transaction commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(KeyOwner owner, Envelope envelope) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = now();
        jdbc.sql("INSERT INTO outbox_messages (id, owner_type, owner_id, channel, envelope, state, attempts,"
                        + " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")
                .params(
                        id,
                        owner.type().name(),
                        owner.id(),
                        envelope.channel().name(),
                        sealer.seal(owner, SEALED.column("envelope", id), JSON.writeValueAsString(envelope)),
                        now,
                        now)
                .update();
        return id;
    }

    /**
     * Claims up to {@code limit} messages due now, each for {@code lease}; a message another worker
     * claimed meanwhile is skipped. The claim is one statement for the whole batch, which marks the rows
     * with a claim id of its own and commits; the rows that carry it are this worker's.
     */
    List<Claimed> claim(int limit, Duration lease) {
        OffsetDateTime now = now();
        List<UUID> due = jdbc.sql("SELECT id FROM outbox_messages WHERE " + DUE + " ORDER BY next_attempt_at LIMIT ?")
                .params(now, now, limit)
                .query(UUID.class)
                .list();
        if (due.isEmpty()) {
            return List.of();
        }
        UUID claim = UUID.randomUUID();
        String ids = String.join(", ", Collections.nCopies(due.size(), "?"));
        List<Object> params = new ArrayList<>(List.of(now.plus(lease), claim));
        params.addAll(due);
        params.add(now);
        params.add(now);
        jdbc.sql("UPDATE outbox_messages SET state = 'SENDING', lease_until = ?, attempts = attempts + 1, claim_id = ?"
                        + " WHERE id IN (" + ids + ") AND " + DUE)
                .params(params)
                .update();
        record Sealed(UUID id, KeyOwner owner, byte[] envelope, int attempts) {}
        List<Sealed> taken = jdbc.sql("SELECT id, owner_type, owner_id, envelope, attempts FROM outbox_messages"
                        + " WHERE claim_id = ? AND state = 'SENDING' AND id IN (" + ids + ") ORDER BY next_attempt_at")
                .params(Stream.concat(Stream.of(claim), due.stream()).toList())
                .query((rs, n) -> new Sealed(
                        rs.getObject("id", UUID.class),
                        new KeyOwner(
                                KeyOwner.Type.valueOf(rs.getString("owner_type")),
                                rs.getObject("owner_id", UUID.class)),
                        rs.getBytes("envelope"),
                        rs.getInt("attempts")))
                .list();
        List<Claimed> claimed = new ArrayList<>();
        for (Sealed message : taken) {
            try {
                String json = Objects.requireNonNull(
                        sealer.open(message.owner(), SEALED.column("envelope", message.id()), message.envelope()),
                        "envelope");
                claimed.add(new Claimed(message.id(), JSON.readValue(json, Envelope.class), message.attempts()));
            } catch (KeyShreddedException e) {
                // Its recipient's keys were destroyed (an erased account): it can never be sent. Given
                // up at once, so that it does not hold the messages behind it.
                failed(message.id(), Duration.ZERO, true);
            }
        }
        return claimed;
    }

    /** Acknowledges a delivered message; false if its lease was lost to another worker meanwhile. */
    boolean sent(UUID id) {
        return jdbc.sql("UPDATE outbox_messages SET state = 'SENT', sent_at = ?, lease_until = NULL"
                                + " WHERE id = ? AND state = 'SENDING'")
                        .params(now(), id)
                        .update()
                == 1;
    }

    /** Records a failed attempt: tried again after {@code wait}, or given up when {@code wait} is null. */
    void failed(UUID id, Duration wait, boolean giveUp) {
        jdbc.sql("UPDATE outbox_messages SET state = ?, next_attempt_at = ?, lease_until = NULL"
                        + " WHERE id = ? AND state = 'SENDING'")
                .params(giveUp ? "FAILED" : "PENDING", now().plus(wait), id)
                .update();
    }

    /** Deletes sent messages older than {@code keep}; how many. */
    int prune(Duration keep) {
        return jdbc.sql("DELETE FROM outbox_messages WHERE state = 'SENT' AND sent_at < ?")
                .param(now().minus(keep))
                .update();
    }

    /** How many messages wait for delivery (pending or being sent). */
    public int waiting() {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE state IN ('PENDING', 'SENDING')")
                .query(Integer.class)
                .single();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
    }

    /** The outbox's sealed table, declared to crypto's one list. */
    @Configuration(proxyBeanMethods = false)
    static class SealedTables {
        @Bean
        SealedTable outboxMessagesTable() {
            return SEALED;
        }
    }
}
