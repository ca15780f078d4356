package org.carnet.scheduling.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** The first day of a week of slots asked for in a page address: a date from today to a year ahead, else today. */
final class WeekParam {

    private WeekParam() {}

    static LocalDate start(@Nullable String value, LocalDate today) {
        if (value == null || value.length() != 10) {
            return today;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            return day.isBefore(today) || day.isAfter(today.plusYears(1)) ? today : day;
        } catch (DateTimeParseException e) {
            return today;
        }
    }

    /** The week before {@code first}, never before today. */
    static String previous(LocalDate first, LocalDate today) {
        LocalDate previous = first.minusDays(7);
        return (previous.isAfter(today) ? previous : today).toString();
    }
}
