package dev.collect.batch;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.collect.core.spi.Checks;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.Optional;

/**
 * When a job runs: the first fire time strictly after a given time. Implementations are immutable
 * and thread-safe. Times are computed in the schedule's zone, so a daily 02:00 job stays at 02:00
 * local time across daylight-saving changes (a skipped 02:00 runs at 03:00, as java.time resolves
 * it).
 */
@FunctionalInterface
public interface Schedule {

  /** The next fire time strictly after {@code after}, or empty if the schedule has ended. */
  Optional<ZonedDateTime> next(ZonedDateTime after);

  /** Every {@code period}, counted from each previous fire time. */
  static Schedule fixedRate(Duration period) {
    Checks.positive("period", period);
    return after -> Optional.of(after.plus(period));
  }

  /** Every day at {@code time} in {@code zone}. */
  static Schedule daily(LocalTime time, ZoneId zone) {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(zone, "zone");
    return after -> {
      ZonedDateTime local = after.withZoneSameInstant(zone);
      ZonedDateTime candidate = local.with(time);
      return Optional.of(candidate.isAfter(local) ? candidate : local.plusDays(1).with(time));
    };
  }

  /** Every week on {@code day} at {@code time} in {@code zone}. */
  static Schedule weekly(DayOfWeek day, LocalTime time, ZoneId zone) {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(zone, "zone");
    return after -> {
      ZonedDateTime local = after.withZoneSameInstant(zone);
      ZonedDateTime candidate = local.with(TemporalAdjusters.nextOrSame(day)).with(time);
      return Optional.of(
          candidate.isAfter(local)
              ? candidate
              : local.plusDays(1).with(TemporalAdjusters.nextOrSame(day)).with(time));
    };
  }

  /**
   * A Unix cron expression ({@code "30 2 * * 1-5"}: 02:30 on weekdays) in {@code zone}, parsed and
   * evaluated by cron-utils; a bad expression fails here with cron-utils' explanation.
   */
  static Schedule cron(String expression, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    ExecutionTime execution =
        ExecutionTime.forCron(
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                .parse(expression)
                .validate());
    return after -> execution.nextExecution(after.withZoneSameInstant(zone));
  }
}
