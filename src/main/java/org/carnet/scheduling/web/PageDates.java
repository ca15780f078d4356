package org.carnet.scheduling.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.carnet.scheduling.BookingProperties;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** Dates and times as the pages show them: in the agenda's zone, in the visitor's language. */
@Component
class PageDates {

    private final MessageSource messages;
    private final ZoneId zone;

    PageDates(MessageSource messages, BookingProperties properties) {
        this.messages = messages;
        this.zone = properties.zone();
    }

    ZoneId zone() {
        return zone;
    }

    LocalDate day(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    /** "lundi 23 novembre 2026" */
    String day(LocalDate day) {
        return format("format.day", day);
    }

    /** "lun. 23 nov." */
    String shortDay(LocalDate day) {
        return format("format.shortDay", day);
    }

    /** "14:20" */
    String time(Instant instant) {
        return format("format.time", instant.atZone(zone));
    }

    /** "lun. 23 nov., 14:20", for slot links */
    String slot(Instant instant) {
        return format("format.slot", instant.atZone(zone));
    }

    /** "lundi 23 novembre 2026 à 14:20" */
    String dateTime(Instant instant) {
        return format("format.datetime", instant.atZone(zone));
    }

    private String format(String patternKey, java.time.temporal.TemporalAccessor value) {
        Locale locale = LocaleContextHolder.getLocale();
        String pattern = messages.getMessage(patternKey, null, locale);
        return DateTimeFormatter.ofPattern(pattern, locale).format(value);
    }
}
