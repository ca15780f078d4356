package org.carnet.scheduling.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.carnet.scheduling.TimeRange;
import org.carnet.scheduling.WeeklyHours;

/**
 * Turns a weekly pattern into concrete slots for a range of days, in the agenda's time zone, leaving
 * out those that overlap an absence. Daylight-saving changes keep wall-clock hours: a 09:00 opening
 * stays 09:00 local time, and a slot that would fall into a skipped hour is not made.
 */
public final class SlotGenerator {

    private SlotGenerator() {}

    public static List<TimeRange> generate(
            List<WeeklyHours> pattern,
            List<TimeRange> absences,
            LocalDate from,
            LocalDate until,
            int slotMinutes,
            ZoneId zone) {
        if (slotMinutes < 5 || slotMinutes > 240) {
            throw new IllegalArgumentException("slot length must be between 5 and 240 minutes");
        }
        List<TimeRange> slots = new ArrayList<>();
        for (LocalDate day = from; day.isBefore(until); day = day.plusDays(1)) {
            for (WeeklyHours hours : pattern) {
                if (hours.day() != day.getDayOfWeek()) {
                    continue;
                }
                LocalDateTime start = day.atTime(hours.opens());
                LocalDateTime closes = day.atTime(hours.closes());
                while (!start.plusMinutes(slotMinutes).isAfter(closes)) {
                    LocalDateTime end = start.plusMinutes(slotMinutes);
                    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(start);
                    if (!offsets.isEmpty()) {
                        TimeRange slot = new TimeRange(
                                start.toInstant(offsets.get(0)),
                                end.atZone(zone).toInstant());
                        if (absences.stream().noneMatch(slot::overlaps)) {
                            slots.add(slot);
                        }
                    }
                    start = end;
                }
            }
        }
        slots.sort(Comparator.comparing(TimeRange::start));
        return slots;
    }
}
