package dev.traceunit.junit.internal;

import java.util.function.Supplier;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Where the JUnit Platform finds traceunit's HTML report (through {@code META-INF/services}, so
 * nothing needs registering): a service class must be public, the report is not API, so this one
 * lives out of the user packages and hands every event to the report's listener in {@code
 * dev.traceunit.junit}, which stays package-private there beside the files it writes. Not API: may
 * change.
 */
public final class ReportListener implements TestExecutionListener {

  private static final String REPORT = "dev.traceunit.junit.TraceReportListener";
  private static volatile Supplier<TestExecutionListener> reports;

  private final TestExecutionListener report;

  /** Created by the JUnit Platform, which finds it as a service. */
  public ReportListener() {
    if (reports == null) {
      try {
        Class.forName(REPORT, true, ReportListener.class.getClassLoader()); // it hands over its constructor when loaded
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(REPORT + " is part of traceunit-junit, as this class is", e);
      }
    }
    report = reports.get();
  }

  /**
   * Called once, by the report's own listener when its class is loaded.
   *
   * @param listeners makes the listener of one run
   */
  public static void reportWith(Supplier<TestExecutionListener> listeners) {
    reports = listeners;
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    report.testPlanExecutionStarted(testPlan);
  }

  @Override
  public void dynamicTestRegistered(TestIdentifier testIdentifier) {
    report.dynamicTestRegistered(testIdentifier);
  }

  @Override
  public void executionStarted(TestIdentifier testIdentifier) {
    report.executionStarted(testIdentifier);
  }

  @Override
  public void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
    report.executionFinished(testIdentifier, result);
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    report.testPlanExecutionFinished(testPlan);
  }
}
