package io.pxcprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Next runs of the schedules the operator's examples and documentation use, and of the dialect's corners. */
class CronScheduleTest {
    /** A Wednesday. */
    private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-02T10:17:30Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0 0 * * 6                        | 2026-12-05T00:00Z
            0 0 * * *                        | 2026-12-03T00:00Z
            */30 * * * *                     | 2026-12-02T10:30Z
            0 22 * * *                       | 2026-12-02T22:00Z
            15 2 1 * *                       | 2027-01-01T02:15Z
            0 0 * * SAT                      | 2026-12-05T00:00Z
            0 0 * * sun                      | 2026-12-06T00:00Z
            0 0 * * 1-5                      | 2026-12-03T00:00Z
            0 3 ? * 0                        | 2026-12-06T03:00Z
            0 0 * JAN *                      | 2027-01-01T00:00Z
            0 0 1 * 1                        | 2026-12-07T00:00Z
            0 0 1,15 * 1                     | 2026-12-07T00:00Z
            0 0 25 12 *                      | 2026-12-25T00:00Z
            0 0 */10 * 6                     | 2026-12-05T00:00Z
            0 0 3 * */1                      | 2026-12-03T00:00Z
            @daily                           | 2026-12-03T00:00Z
            @midnight                        | 2026-12-03T00:00Z
            @hourly                          | 2026-12-02T11:00Z
            @weekly                          | 2026-12-06T00:00Z
            @monthly                         | 2027-01-01T00:00Z
            @yearly                          | 2027-01-01T00:00Z
            CRON_TZ=Europe/Berlin 0 2 * * *  | 2026-12-03T01:00Z
            TZ=America/New_York 0 0 * * *    | 2026-12-03T05:00Z
            """)
    void nextRunAsTheOperatorComputesIt(String cron, String next) throws Exception {
        ZonedDateTime got = CronSchedule.parse(cron).nextAfter(NOW).orElseThrow();
        assertEquals(ZonedDateTime.parse(next).toInstant(), got.toInstant(), cron + " -> " + got);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                    | empty schedule
            @every 1h             | @every counts from the operator's start
            CRON_TZ=Mars/Olympus 0 0 * * * | unknown time zone Mars/Olympus
            0 0 * *               | needs 5 fields
            61 0 * * *            | '61 0 * * *'
            0 0 * * * *           | needs 5 fields
            0 0 * * 7             | '0 0 * * 7'
            """)
    void whatTheOperatorWouldNotRunIsRefusedWithTheReason(String cron, String reason) {
        var e = assertThrows(CronSchedule.Invalid.class, () -> CronSchedule.parse(cron));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
