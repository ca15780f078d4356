package org.carnet.notifications.internal;

import java.util.List;
import org.carnet.notifications.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Drains the outbox: claims the messages due, sends each outside any transaction, then acknowledges
 * it. A failure is retried with a doubling wait; a worker that stops after claiming leaves its messages
 * to the next claim once their lease has run out. Delivery is at least once: a worker stopped after the
 * server accepted a message but before the acknowledgement committed sends it again, with the same
 * Message-ID (SMS: the same provider reference), which is the only copy a recipient can see twice.
 * The log names messages by their outbox id only.
 */
@Component
class OutboxDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);

    private final Outbox outbox;
    private final MailTransport mail;
    private final SmsProvider sms;
    private final OutboxProperties properties;
    private final VerificationCodes codes;

    OutboxDelivery(
            Outbox outbox, MailTransport mail, SmsProvider sms, OutboxProperties properties, VerificationCodes codes) {
        this.outbox = outbox;
        this.codes = codes;
        this.mail = mail;
        this.sms = sms;
        this.properties = properties;
    }

    @Scheduled(
            fixedDelayString = "${carnet.outbox.poll-interval:PT2S}",
            initialDelayString = "${carnet.outbox.poll-interval:PT2S}")
    void poll() {
        try {
            while (deliverDue() == properties.batchSize()) {
                // a full batch: there may be more due at once
            }
        } catch (RuntimeException e) {
            log.warn("Outbox delivery stopped for this round: {}", e.getClass().getSimpleName());
        }
    }

    /** Delivers one batch of the messages due now; how many were claimed. */
    int deliverDue() {
        List<Outbox.Claimed> claimed = outbox.claim(properties.batchSize(), properties.lease());
        for (Outbox.Claimed message : claimed) {
            deliver(message);
        }
        return claimed.size();
    }

    private void deliver(Outbox.Claimed message) {
        try {
            Envelope envelope = message.envelope();
            if (envelope.channel() == Channel.EMAIL) {
                mail.send(message.id(), envelope);
            } else {
                sms.send(message.id(), envelope.to(), envelope.text());
            }
        } catch (Exception e) {
            boolean giveUp = message.attempt() >= properties.maxAttempts();
            outbox.failed(message.id(), properties.retryAfter(message.attempt()), giveUp);
            if (giveUp) {
                log.error(
                        "Outgoing message {} given up after {} attempts ({})",
                        message.id(),
                        message.attempt(),
                        e.getClass().getSimpleName());
            } else {
                log.warn(
                        "Outgoing message {} not sent on attempt {} ({}); retried later",
                        message.id(),
                        message.attempt(),
                        e.getClass().getSimpleName());
            }
            return;
        }
        if (!outbox.sent(message.id())) {
            log.warn("Outgoing message {} was sent after its lease ran out", message.id());
        }
    }

    @Scheduled(cron = "${carnet.outbox.prune-cron:0 40 3 * * *}")
    void prune() {
        outbox.prune(properties.keepSent());
        codes.prune();
    }
}
