package org.carnet.notifications;

import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How each recipient wants to be told: the language of their e-mails and SMS, which of the two they
 * get, and whether they want appointment reminders. Without a choice: French, e-mail, reminders on.
 */
@Service
public class NotificationPreferences {

    /** A recipient's choices. */
    public record Preferences(Locale language, Channel channel, boolean reminders) {

        public static final Preferences DEFAULT = new Preferences(Locale.FRENCH, Channel.EMAIL, true);

        public Preferences {
            language = Locale.forLanguageTag(language.getLanguage());
            if (!language.equals(Locale.FRENCH) && !language.equals(Locale.ENGLISH)) {
                throw new IllegalArgumentException("Carnet writes in French or English");
            }
        }
    }

    private final JdbcClient jdbc;

    NotificationPreferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Preferences of(Recipient recipient) {
        return jdbc.sql("SELECT language, channel, reminders FROM notification_preferences"
                        + " WHERE recipient_type = ? AND recipient_id = ?")
                .params(recipient.kind().name(), recipient.id())
                .query((rs, n) -> new Preferences(
                        Locale.forLanguageTag(rs.getString("language")),
                        Channel.valueOf(rs.getString("channel")),
                        rs.getBoolean("reminders")))
                .optional()
                .orElse(Preferences.DEFAULT);
    }

    @Transactional
    public void set(Recipient recipient, Preferences preferences) {
        int updated = jdbc.sql("UPDATE notification_preferences SET language = ?, channel = ?, reminders = ?"
                        + " WHERE recipient_type = ? AND recipient_id = ?")
                .params(
                        preferences.language().getLanguage(),
                        preferences.channel().name(),
                        preferences.reminders(),
                        recipient.kind().name(),
                        recipient.id())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO notification_preferences (recipient_type, recipient_id, language, channel, reminders)"
                            + " VALUES (?, ?, ?, ?, ?)")
                    .params(
                            recipient.kind().name(),
                            recipient.id(),
                            preferences.language().getLanguage(),
                            preferences.channel().name(),
                            preferences.reminders())
                    .update();
        }
    }
}
