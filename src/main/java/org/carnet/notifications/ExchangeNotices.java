package org.carnet.notifications;

import java.util.List;
import org.carnet.teleconsultation.ExchangePosted;
import org.carnet.teleconsultation.SubjectKind;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the other side of a teleconsultation that a message or a document arrived in its encrypted
 * exchange: in the inbox and, for a patient, by e-mail or SMS as they chose. The notice says that
 * something arrived and when, never a word of it (the server holds only ciphertext anyway), nor the
 * motive. Once per message or document.
 */
@Component
class ExchangeNotices {

    private final Notices notices;

    ExchangeNotices(Notices notices) {
        this.notices = notices;
    }

    @ApplicationModuleListener(id = "notifications.exchange-posted")
    void on(ExchangePosted posted) {
        Recipient recipient = posted.recipientKind() == SubjectKind.PATIENT
                ? Recipient.patient(posted.recipientId())
                : Recipient.professional(posted.recipientId());
        notices.send(
                "exchange-posted:" + posted.item() + ":" + posted.itemId(),
                recipient,
                "document".equals(posted.item()) ? "consultation-document" : "consultation-message",
                List.of(posted.at()));
    }
}
