package org.carnet.scheduling;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;
import org.carnet.shared.InvalidRequestException;

/** One opening period of a weekly pattern, in the agenda's time zone: Monday 09:00–12:00. */
public record WeeklyHours(DayOfWeek day, LocalTime opens, LocalTime closes) {
    public WeeklyHours {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(opens, "opens");
        Objects.requireNonNull(closes, "closes");
        if (!opens.isBefore(closes)) {
            throw new InvalidRequestException("openingHours", "must open before it closes");
        }
    }
}
