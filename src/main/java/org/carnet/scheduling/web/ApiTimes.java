package org.carnet.scheduling.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/** Query parameters that take a date ({@code 2026-12-01}, midnight in the agenda zone) or a date-time with offset. */
final class ApiTimes {

    private ApiTimes() {}

    static @Nullable Instant parse(String field, @Nullable String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 40) {
            throw new InvalidRequestException(
                    field, "must be a date (yyyy-MM-dd) or an ISO-8601 date-time with offset");
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    field, "must be a date (yyyy-MM-dd) or an ISO-8601 date-time with offset");
        }
    }
}
