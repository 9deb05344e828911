package io.pxcprobe.config;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A backup schedule's cron expression in the operator's dialect (robfig/cron v3.0.1's
 * {@code ParseStandard}, docs/backup.md): five fields (minute, hour, day of month, month, day of
 * week 0-6, with names, ranges, steps, lists and {@code ?}), the descriptors {@code @yearly} to
 * {@code @hourly}, and an optional {@code CRON_TZ=<zone>} or {@code TZ=<zone>} prefix. Without a
 * prefix the operator process's local zone applies; its deployment sets none, so UTC. A day of month and a day of week both restricted match
 * either, as in Vixie cron. {@code @every} counts from when the operator started, so its next run
 * cannot be known from outside.
 */
public final class CronSchedule {
    private static final CronDefinition STANDARD = CronDefinitionBuilder.defineCron()
            .withMinutes()
            .withValidRange(0, 59)
            .and()
            .withHours()
            .withValidRange(0, 23)
            .and()
            .withDayOfMonth()
            .withValidRange(1, 31)
            .supportsQuestionMark()
            .and()
            .withMonth()
            .withValidRange(1, 12)
            .and()
            .withDayOfWeek()
            .withValidRange(0, 6)
            .withMondayDoWValue(1)
            .supportsQuestionMark()
            .and()
            .withSupportedNicknameYearly()
            .withSupportedNicknameAnnually()
            .withSupportedNicknameMonthly()
            .withSupportedNicknameWeekly()
            .withSupportedNicknameDaily()
            .withSupportedNicknameMidnight()
            .withSupportedNicknameHourly()
            .instance();
    private static final CronParser PARSER = new CronParser(STANDARD);

    private final String expression;
    private final ZoneId zone;
    /** One, or two when day of month and day of week are both restricted: a run is due at the first of either. */
    private final List<ExecutionTime> executions;

    private CronSchedule(String expression, ZoneId zone, List<ExecutionTime> executions) {
        this.expression = expression;
        this.zone = zone;
        this.executions = List.copyOf(executions);
    }

    /** Thrown for what the operator would not run; the message says why, for the log. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    public static CronSchedule parse(String text) throws Invalid {
        if (text == null || text.isBlank()) {
            throw new Invalid("empty schedule");
        }
        String spec = text.trim();
        ZoneId zone = ZoneOffset.UTC;
        if (spec.startsWith("CRON_TZ=") || spec.startsWith("TZ=")) {
            int space = spec.indexOf(' ');
            if (space < 0) {
                throw new Invalid("'" + text + "': a time zone prefix and no schedule");
            }
            String name = spec.substring(spec.indexOf('=') + 1, space);
            try {
                zone = ZoneId.of(name);
            } catch (DateTimeException e) {
                throw new Invalid("'" + text + "': unknown time zone " + name);
            }
            spec = spec.substring(space + 1).trim();
        }
        if (spec.startsWith("@every")) {
            throw new Invalid("'" + text + "': @every counts from the operator's start, so its next run is unknown");
        }
        try {
            // the parser knows the descriptors in lower case and the day and month names in upper case
            if (spec.startsWith("@")) {
                return new CronSchedule(text.trim(), zone, List.of(execution(spec.toLowerCase(Locale.ROOT))));
            }
            String[] f = spec.toUpperCase(Locale.ROOT).split("\\s+");
            if (f.length != 5) {
                throw new Invalid(
                        "'" + text + "': needs 5 fields (minute hour day-of-month month day-of-week), has " + f.length);
            }
            if (isStar(f[2]) || isStar(f[4])) {
                return new CronSchedule(text.trim(), zone, List.of(execution(String.join(" ", f))));
            }
            String byMonthDay = String.join(" ", f[0], f[1], f[2], f[3], "*");
            String byWeekDay = String.join(" ", f[0], f[1], "*", f[3], f[4]);
            return new CronSchedule(text.trim(), zone, List.of(execution(byMonthDay), execution(byWeekDay)));
        } catch (IllegalArgumentException e) {
            throw new Invalid("'" + text + "': " + e.getMessage());
        }
    }

    private static ExecutionTime execution(String cron) {
        return ExecutionTime.forCron(PARSER.parse(cron));
    }

    /**
     * robfig's star bit: some part of the field is {@code *} or {@code ?} with no step above 1.
     * {@code *}{@code /2} restricts the field.
     */
    private static boolean isStar(String field) {
        for (String part : field.split(",")) {
            String[] rangeAndStep = part.split("/");
            String low = rangeAndStep[0].split("-")[0];
            boolean stepOne = rangeAndStep.length == 1 || rangeAndStep[1].equals("1");
            if ((low.equals("*") || low.equals("?")) && stepOne) {
                return true;
            }
        }
        return false;
    }

    /** The first run strictly after {@code after}, in the schedule's zone; empty if there is none. */
    public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
        ZonedDateTime from = after.withZoneSameInstant(zone);
        return executions.stream()
                .map(e -> e.nextExecution(from))
                .flatMap(Optional::stream)
                .min(ZonedDateTime::compareTo);
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return expression;
    }
}
