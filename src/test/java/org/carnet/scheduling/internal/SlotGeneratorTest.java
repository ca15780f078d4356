package org.carnet.scheduling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.carnet.scheduling.TimeRange;
import org.carnet.scheduling.WeeklyHours;
import org.junit.jupiter.api.Test;

class SlotGeneratorTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    static List<WeeklyHours> mondayMorningAndTuesdayAfternoon() {
        return List.of(
                new WeeklyHours(DayOfWeek.MONDAY, LocalTime.of(9, 0), LocalTime.of(12, 0)),
                new WeeklyHours(DayOfWeek.TUESDAY, LocalTime.of(14, 0), LocalTime.of(15, 10)));
    }

    @Test
    void cutsEachOpeningIntoWholeSlotsInLocalTime() {
        List<TimeRange> slots = SlotGenerator.generate(
                mondayMorningAndTuesdayAfternoon(), List.of(), MONDAY, MONDAY.plusDays(7), 20, PARIS);

        // Monday 09:00-12:00: 9 slots; Tuesday 14:00-15:10: 3 whole slots, the last 10 minutes left out.
        assertThat(slots).hasSize(12);
        assertThat(slots.get(0).start())
                .isEqualTo(ZonedDateTime.of(MONDAY, LocalTime.of(9, 0), PARIS).toInstant());
        assertThat(slots.get(11).end())
                .isEqualTo(ZonedDateTime.of(MONDAY.plusDays(1), LocalTime.of(15, 0), PARIS)
                        .toInstant());
    }

    @Test
    void repeatsTheWeeklyPatternOverSeveralWeeks() {
        List<TimeRange> slots = SlotGenerator.generate(
                mondayMorningAndTuesdayAfternoon(), List.of(), MONDAY, MONDAY.plusWeeks(4), 20, PARIS);
        assertThat(slots).hasSize(48);
    }

    @Test
    void leavesOutSlotsOverlappingAnAbsence() {
        Instant absenceStart =
                ZonedDateTime.of(MONDAY, LocalTime.of(10, 10), PARIS).toInstant();
        Instant absenceEnd =
                ZonedDateTime.of(MONDAY, LocalTime.of(11, 0), PARIS).toInstant();
        List<TimeRange> slots = SlotGenerator.generate(
                mondayMorningAndTuesdayAfternoon(),
                List.of(new TimeRange(absenceStart, absenceEnd)),
                MONDAY,
                MONDAY.plusDays(1),
                20,
                PARIS);
        // 10:00-10:20, 10:20-10:40 and 10:40-11:00 overlap the absence.
        assertThat(slots).hasSize(6);
        assertThat(slots).noneMatch(slot -> slot.overlaps(new TimeRange(absenceStart, absenceEnd)));
    }

    @Test
    void keepsWallClockHoursAcrossTheDaylightSavingChange() {
        // Sunday 29 March 2026: clocks go forward in Paris. Monday 30 March still opens at 09:00 local time.
        LocalDate mondayAfterChange = LocalDate.of(2026, 3, 30);
        List<TimeRange> slots = SlotGenerator.generate(
                mondayMorningAndTuesdayAfternoon(),
                List.of(),
                mondayAfterChange.minusWeeks(1),
                mondayAfterChange.plusDays(1),
                60,
                PARIS);
        assertThat(slots.get(0).start().atZone(PARIS).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
        assertThat(slots.get(4).start().atZone(PARIS).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
        assertThat(slots.get(4).start().atZone(PARIS).toLocalDate()).isEqualTo(mondayAfterChange);
    }

    @Test
    void skipsSlotsInTheHourThatDoesNotExist() {
        List<WeeklyHours> sundayNight =
                List.of(new WeeklyHours(DayOfWeek.SUNDAY, LocalTime.of(1, 0), LocalTime.of(4, 0)));
        LocalDate changeDay = LocalDate.of(2026, 3, 29);
        List<TimeRange> slots =
                SlotGenerator.generate(sundayNight, List.of(), changeDay, changeDay.plusDays(1), 60, PARIS);
        assertThat(slots)
                .extracting(slot -> slot.start().atZone(PARIS).toLocalTime())
                .containsExactly(LocalTime.of(1, 0), LocalTime.of(3, 0));
    }
}
