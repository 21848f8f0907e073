package dev.traceunit.otel.internal;

import dev.traceunit.otel.TracedOpenTelemetry;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the context bridge ({@link TracedOpenTelemetry#installContextBridge()}) when a JUnit
 * launcher session opens, before any test class can use OpenTelemetry's context. Registered as a
 * service; users never call it. Not API: may change.
 */
public final class InstallContextBridge implements LauncherSessionListener {

  /** Created by the JUnit Platform, which finds it as a service. */
  public InstallContextBridge() {}

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    TracedOpenTelemetry.installContextBridge();
  }
}
