package io.vedetta.agent.cluster.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The schedules CronJobs are written with, as the CronJob controller's cron library reads them. */
class CronScheduleTest {

    private static final ZonedDateTime WEDNESDAY = ZonedDateTime.parse("2026-11-25T10:30:00Z");

    private static ZonedDateTime next(String schedule, ZonedDateTime after) {
        return CronSchedule.parse(schedule, ZoneOffset.UTC).next(after);
    }

    @Test
    void stepsRangesListsAndNames() {
        assertEquals(ZonedDateTime.parse("2026-11-25T10:45:00Z"), next("*/15 * * * *", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-25T11:05:00Z"), next("5 9-17 * * *", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-27T02:00:00Z"), next("0 2 * * FRI", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2027-01-01T00:00:00Z"), next("0 0 1 jan,jul *", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-25T12:00:00Z"), next("0 0/6 * * *", WEDNESDAY));
    }

    @Test
    void descriptorsAndEvery() {
        assertEquals(ZonedDateTime.parse("2026-11-25T11:00:00Z"), next("@hourly", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-26T00:00:00Z"), next("@daily", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-29T00:00:00Z"), next("@weekly", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2027-01-01T00:00:00Z"), next("@yearly", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-11-25T12:00:00Z"), next("@every 1h30m", WEDNESDAY));
    }

    /** As in cron: with both day fields restricted, a day matching either runs. */
    @Test
    void eitherDayFieldMatchesWhenBothAreRestricted() {
        assertEquals(ZonedDateTime.parse("2026-11-27T00:00:00Z"), next("0 0 1 * FRI", WEDNESDAY));
        assertEquals(ZonedDateTime.parse("2026-12-01T00:00:00Z"), next("0 0 1 * *", WEDNESDAY));
    }

    @Test
    void timeZonesFromThePrefixOrTheCronJob() {
        ZonedDateTime berlin = CronSchedule.parse("0 3 * * *", ZoneId.of("Europe/Berlin")).next(WEDNESDAY);
        assertEquals(ZonedDateTime.parse("2026-11-26T02:00:00Z").toInstant(), berlin.toInstant());
        ZonedDateTime prefixed = next("CRON_TZ=America/New_York 0 3 * * *", WEDNESDAY);
        assertEquals(ZonedDateTime.parse("2026-11-26T08:00:00Z").toInstant(), prefixed.toInstant());
    }

    @Test
    void impossibleAndInvalidSchedules() {
        assertNull(next("0 0 31 2 *", WEDNESDAY), "February has no 31st");
        assertThrows(IllegalArgumentException.class, () -> next("61 * * * *", WEDNESDAY));
        assertThrows(IllegalArgumentException.class, () -> next("* * *", WEDNESDAY));
        assertThrows(IllegalArgumentException.class, () -> next("@every soon", WEDNESDAY));
    }
}
