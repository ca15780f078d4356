package org.carnet.notifications;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * When each establishment's patients are reminded of their appointments: a first reminder and an
 * optional second one, each between 30 minutes and 7 days before the start. Without a choice: 24
 * hours and 2 hours before.
 */
@Service
public class ReminderSettings {

    public static final Duration SHORTEST = Duration.ofMinutes(30);
    public static final Duration LONGEST = Duration.ofDays(7);
    static final List<Duration> DEFAULT = List.of(Duration.ofHours(24), Duration.ofHours(2));

    private final JdbcClient jdbc;

    ReminderSettings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The establishment's reminders, the earliest first. */
    @Transactional(readOnly = true)
    public List<Duration> of(UUID establishmentId) {
        return jdbc.sql("SELECT first_before_minutes, second_before_minutes FROM reminder_settings"
                        + " WHERE establishment_id = ?")
                .param(establishmentId)
                .query((rs, n) -> {
                    List<Duration> offsets = new ArrayList<>();
                    offsets.add(Duration.ofMinutes(rs.getInt("first_before_minutes")));
                    int second = rs.getInt("second_before_minutes");
                    if (!rs.wasNull()) {
                        offsets.add(Duration.ofMinutes(second));
                    }
                    return sorted(offsets);
                })
                .optional()
                .orElse(DEFAULT);
    }

    /**
     * Sets the establishment's reminders.
     *
     * @throws IllegalArgumentException for a reminder outside 30 minutes to 7 days, or two the same
     */
    @Transactional
    public void set(UUID establishmentId, Duration first, @Nullable Duration second) {
        for (Duration offset : second == null ? List.of(first) : List.of(first, second)) {
            if (offset.compareTo(SHORTEST) < 0 || offset.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException("A reminder is sent between 30 minutes and 7 days before");
            }
        }
        if (first.equals(second)) {
            throw new IllegalArgumentException("Two reminders at the same time");
        }
        jdbc.sql("DELETE FROM reminder_settings WHERE establishment_id = ?")
                .param(establishmentId)
                .update();
        jdbc.sql("INSERT INTO reminder_settings (establishment_id, first_before_minutes, second_before_minutes)"
                        + " VALUES (?, ?, ?)")
                .param(establishmentId)
                .param(first.toMinutes())
                .param(second == null ? null : second.toMinutes())
                .update();
    }

    private static List<Duration> sorted(List<Duration> offsets) {
        return offsets.stream().sorted(java.util.Comparator.reverseOrder()).toList();
    }
}
