package dev.traceunit.clock.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;

/** Ordinary code that takes a {@link Clock}: it knows nothing about traceunit. */
final class LoginSessions {
  private final Clock clock;
  private final Duration timeToLive;
  private final Map<String, Instant> expiries = new HashMap<>();

  LoginSessions(Clock clock, Duration timeToLive) {
    this.clock = clock;
    this.timeToLive = timeToLive;
  }

  void logIn(String user) {
    expiries.put(user, Instant.now(clock).plus(timeToLive));
  }

  boolean isLoggedIn(String user) {
    Instant expiry = expiries.get(user);
    return expiry != null && Instant.now(clock).isBefore(expiry);
  }

  String greeting(String user) {
    return (LocalTime.now(clock).getHour() < 12 ? "Good morning, " : "Good afternoon, ") + user;
  }
}
