package dev.traceunit.clock;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MockClockTimeTest {
  private static final Instant MILLENNIUM = Instant.parse("2000-01-01T00:00:00Z");

  @Test
  void createStartsAtTheTurnOfTheMillenniumInUtcWithMonotonicTimeAtZero() {
    MockClock clock = MockClock.create();

    assertThat(clock.instant()).isEqualTo(MILLENNIUM);
    assertThat(clock.millis()).isEqualTo(MILLENNIUM.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.nanoTime()).isZero();
    assertThat(clock.elapsed()).isZero();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(clock.nextTaskDelay()).isEmpty();
  }

  @Test
  void atStartsAtTheGivenInstant() {
    Instant start = Instant.parse("2024-02-29T12:34:56.789123456Z");

    MockClock clock = MockClock.at(start);

    assertThat(clock.instant()).isEqualTo(start);
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void advanceTimeMovesWallAndMonotonicTimeTogetherToTheNanosecond() {
    MockClock clock = MockClock.create();

    MockClock returned = clock.advanceTime(Duration.ofSeconds(90).plusNanos(7));

    assertThat(returned).isSameAs(clock);
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.plusSeconds(90).plusNanos(7));
    assertThat(clock.nanoTime()).isEqualTo(90_000_000_007L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(90).plusNanos(7));
  }

  @Test
  void advanceTimeByAnAmountAndUnitIsTheSameAsByADuration() {
    MockClock clock = MockClock.create();

    clock.advanceTime(1500, MILLISECONDS).advanceTime(2, TimeUnit.DAYS);

    assertThat(clock.elapsed()).isEqualTo(Duration.ofDays(2).plusMillis(1500));
  }

  @Test
  void advanceTimeOfZeroChangesNothing() {
    MockClock clock = MockClock.create();

    clock.advanceTime(Duration.ZERO);

    assertThat(clock.instant()).isEqualTo(MILLENNIUM);
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void advanceTimeRejectsANegativeDurationNamingIt() {
    MockClock clock = MockClock.create();

    assertThatThrownBy(() -> clock.advanceTime(Duration.ofMillis(-1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("advanceTime(PT-1.5S): time only moves forward, the duration must be zero or"
            + " positive");
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void advanceTimeRejectsANullDurationWithAnIllegalArgumentException() {
    MockClock clock = MockClock.create();

    assertThatThrownBy(() -> clock.advanceTime(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("advanceTime(null): ")
        .hasMessageContaining("must be zero or positive");
  }

  @Test
  void advanceTimeRejectsANegativeAmountNamingItAndItsUnit() {
    MockClock clock = MockClock.create();

    assertThatThrownBy(() -> clock.advanceTime(-5, SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("advanceTime(-5, SECONDS): time only moves forward, the amount must be zero"
            + " or positive");
  }

  @Test
  void advanceTimeRejectsANegativeAmountBeyondTheRangeOfDurationAsNegative() {
    MockClock clock = MockClock.create();

    assertThatThrownBy(() -> clock.advanceTime(Long.MIN_VALUE, TimeUnit.DAYS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("advanceTime(" + Long.MIN_VALUE + ", DAYS): time only moves forward, the"
            + " amount must be zero or positive");
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void advanceTimeRejectsADurationBeyondTheRangeOfMonotonicTime() {
    MockClock clock = MockClock.create();
    clock.advanceTime(Duration.ofDays(365 * 200));

    assertThatThrownBy(() -> clock.advanceTime(Duration.ofDays(365 * 300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("advanceTime(PT2628000H): the duration must be at most");
    assertThatThrownBy(() -> clock.advanceTime(Duration.ofDays(365 * 100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("advanceTime(PT876000H): monotonic time would pass its limit of"
            + " PT2562047H47M16.854775807S (292 years) after the clock's start; it is at"
            + " +PT1752000H");
    assertThatThrownBy(() -> clock.advanceTime(Long.MAX_VALUE, TimeUnit.DAYS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("advanceTime(9223372036854775807, DAYS): the amount must be at"
            + " most");
    assertThat(clock.elapsed()).isEqualTo(Duration.ofDays(365 * 200));
  }

  @Test
  void setWallTimeBackwardsLeavesNanoTimeAndTheSchedulerUntouched() {
    MockClock clock = MockClock.create();
    List<Long> ranAt = new ArrayList<>();
    clock.scheduler().schedule(() -> ranAt.add(clock.nanoTime()), 5, SECONDS);
    clock.advanceTime(Duration.ofSeconds(2));

    MockClock returned = clock.setWallTime(MILLENNIUM.minus(Duration.ofHours(1)));

    assertThat(returned).isSameAs(clock);
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.minus(Duration.ofHours(1)));
    assertThat(clock.nanoTime()).isEqualTo(2_000_000_000L);
    assertThat(clock.nextTaskDelay()).contains(Duration.ofSeconds(3));
    assertThat(ranAt).isEmpty();

    clock.advanceTime(Duration.ofSeconds(3));

    assertThat(ranAt).containsExactly(5_000_000_000L);
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.minus(Duration.ofHours(1)).plusSeconds(3));
  }

  @Test
  void setWallTimeForwardRunsNoTask() {
    MockClock clock = MockClock.create();
    List<String> ran = new ArrayList<>();
    clock.scheduler().schedule(() -> ran.add("task"), 1, SECONDS);

    clock.setWallTime(MILLENNIUM.plus(Duration.ofDays(1)));

    assertThat(ran).isEmpty();
    assertThat(clock.nanoTime()).isZero();
    assertThat(clock.pendingTasks()).isEqualTo(1);
  }

  @Test
  void autoAdvanceMovesTimeByTheStepAfterEveryRead() {
    MockClock clock = MockClock.create().autoAdvance(Duration.ofMillis(10));

    assertThat(clock.instant()).isEqualTo(MILLENNIUM);
    assertThat(clock.millis()).isEqualTo(MILLENNIUM.toEpochMilli() + 10);
    assertThat(clock.nanoTime()).isEqualTo(20_000_000L);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(30));
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.plusMillis(40));
  }

  @Test
  void autoAdvanceOfZeroTurnsItOff() {
    MockClock clock = MockClock.create().autoAdvance(Duration.ofSeconds(1));
    clock.instant();

    clock.autoAdvance(Duration.ZERO);

    assertThat(clock.instant()).isEqualTo(MILLENNIUM.plusSeconds(1));
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.plusSeconds(1));
  }

  @Test
  void autoAdvanceMakesTasksDueWithoutRunningThemUntilTheClockIsDriven() {
    MockClock clock = MockClock.create().autoAdvance(Duration.ofSeconds(1));
    List<Long> ranAt = new ArrayList<>();
    clock.scheduler().schedule(() -> ranAt.add(clock.nanoTime()), 1500, MILLISECONDS);
    clock.nanoTime();
    clock.nanoTime();

    assertThat(ranAt).isEmpty();
    assertThat(clock.nextTaskDelay()).contains(Duration.ZERO);

    clock.runDueTasks();

    assertThat(ranAt).as("runs late, at the current time, as a busy executor would")
        .containsExactly(2_000_000_000L);
  }

  @Test
  void autoAdvanceRejectsANegativeOrNullStepNamingIt() {
    MockClock clock = MockClock.create();

    assertThatThrownBy(() -> clock.autoAdvance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("autoAdvance(PT-0.000000001S): time only moves forward, the step must be"
            + " zero or positive");
    assertThatThrownBy(() -> clock.autoAdvance(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("autoAdvance(null): ");
  }

  @Test
  void withZoneGivesAViewThatSharesTimeAndScheduler() {
    MockClock clock = MockClock.create();
    ZoneId paris = ZoneId.of("Europe/Paris");

    MockClock inParis = clock.withZone(paris);
    inParis.advanceTime(Duration.ofMinutes(1));
    clock.scheduler().schedule(() -> { }, 1, SECONDS);

    assertThat(inParis.getZone()).isEqualTo(paris);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.instant()).isEqualTo(MILLENNIUM.plusSeconds(60));
    assertThat(inParis.instant()).isEqualTo(MILLENNIUM.plusSeconds(60));
    assertThat(inParis.nanoTime()).isEqualTo(clock.nanoTime());
    assertThat(inParis.scheduler()).isSameAs(clock.scheduler());
    assertThat(inParis.pendingTasks()).isEqualTo(1);
  }

  @Test
  void viewsOfTheSameTimeAreEqualWhenTheirZonesAre() {
    MockClock clock = MockClock.create();
    ZoneId paris = ZoneId.of("Europe/Paris");

    assertThat(clock.withZone(paris)).isEqualTo(clock.withZone(paris))
        .hasSameHashCodeAs(clock.withZone(paris))
        .isNotEqualTo(clock)
        .isNotEqualTo(MockClock.create().withZone(paris));
    assertThat(clock.withZone(paris).withZone(ZoneOffset.UTC)).isEqualTo(clock);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }

  @Test
  void toStringDescribesTheClockWithoutMovingIt() {
    MockClock clock = MockClock.create().autoAdvance(Duration.ofSeconds(1));
    clock.scheduler().schedule(() -> { }, 1, SECONDS);

    assertThat(clock).hasToString(
        "MockClock[2000-01-01T00:00:00Z, zone Z, elapsed PT0S, pending tasks 1]");
    assertThat(clock.nanoTime()).isZero();
  }
}
