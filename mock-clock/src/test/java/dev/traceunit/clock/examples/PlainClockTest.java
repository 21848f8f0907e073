package dev.traceunit.clock.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.clock.MockClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** MockClock through nothing but the java.time API, as code that never heard of it uses it. */
class PlainClockTest {
  private final MockClock clock = MockClock.create();

  @Test
  void sessionsExpireAfterTheirTimeToLive() {
    LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30));
    sessions.logIn("ada");

    clock.advanceTime(Duration.ofMinutes(30).minusNanos(1));
    assertThat(sessions.isLoggedIn("ada")).isTrue();

    clock.advanceTime(Duration.ofNanos(1));
    assertThat(sessions.isLoggedIn("ada")).isFalse();
  }

  @Test
  void localTimesAreReadInTheZoneOfTheClockOrOfItsView() {
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    LoginSessions inTokyo = new LoginSessions(clock.withZone(tokyo), Duration.ofHours(1));

    assertThat(LocalDateTime.now(clock)).isEqualTo(LocalDateTime.parse("2000-01-01T00:00"));
    assertThat(ZonedDateTime.now(clock.withZone(tokyo)))
        .isEqualTo(ZonedDateTime.of(LocalDateTime.parse("2000-01-01T09:00"), tokyo));
    assertThat(inTokyo.greeting("ada")).isEqualTo("Good morning, ada");

    clock.advanceTime(Duration.ofHours(3));

    assertThat(inTokyo.greeting("ada")).isEqualTo("Good afternoon, ada");
  }

  @Test
  void theJdksClockDecoratorsAndInstantSourceWorkOnTopOfIt() {
    InstantSource source = clock;
    Clock ticking = Clock.tickMinutes(clock.getZone());
    Clock minutes = Clock.tick(clock, Duration.ofMinutes(1));
    Clock anHourAhead = Clock.offset(clock, Duration.ofHours(1));

    clock.advanceTime(Duration.ofSeconds(90));

    assertThat(source.instant()).isEqualTo(Instant.parse("2000-01-01T00:01:30Z"));
    assertThat(source.millis()).isEqualTo(Instant.parse("2000-01-01T00:01:30Z").toEpochMilli());
    assertThat(minutes.instant()).isEqualTo(Instant.parse("2000-01-01T00:01:00Z"));
    assertThat(anHourAhead.instant()).isEqualTo(Instant.parse("2000-01-01T01:01:30Z"));
    assertThat(ticking.getZone()).isEqualTo(clock.getZone());
  }
}
