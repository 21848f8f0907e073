package dev.traceunit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs every benchmark in one JMH run with the GC profiler, then prints the side-by-side table,
 * the ratios and a verdict for each budget: recording time and allocation against the OTel SDK and
 * the floor, the disabled path, linear growth with trace size, render and assertion times on large
 * traces, and the per-test overhead of the extension. {@code --quick} (the default): one fork,
 * short iterations; {@code --full}: longer iterations for figures worth publishing. A further
 * argument is a regular expression that narrows the benchmarks (budgets without data are skipped).
 *
 * <p>Adding a budget: write the benchmark in this package (a class named {@code …Benchmark} is
 * picked up); its figures are filed under the class name without {@code Benchmark}, a dot and the
 * method ({@code RootSpan.traceunit}), with {@code @spans} and
 * {@code #retention} when it has those parameters (see {@code add}). Then, in the section that
 * prints it (or a new section method called from {@code print}), look the figures up in
 * {@code time} or {@code bytes} (or {@code ratio}) and call {@code budget} with a description,
 * the figure, the bound and its unit; it prints {@code met}, {@code met*}, {@code MISSED*} or
 * {@code MISSED} with the figure among the verdicts. For example:
 *
 * <pre>{@code
 * budget("report page of 20,000 tests < 2,000 ms", time.get("Report.firstTest"), 2000, " ms");
 * }</pre>
 */
public final class BudgetRun {

  private static final String PACKAGE = BudgetRun.class.getPackageName() + ".";
  private static final String ALLOCATION = "gc.alloc.rate.norm";
  /** How many trivial tests one operation of the extension benchmark runs. */
  static final int EXTENSION_TESTS = 20_000;

  private final Map<String, Figure> time = new HashMap<>();
  private final Map<String, Figure> bytes = new HashMap<>();
  private final List<String> verdicts = new ArrayList<>();
  private final PrintStream out = System.out;

  /**
   * The benchmarks in groups, each run with iterations of its own: {@code include} is a regular
   * expression over the benchmark's full name. The recording group times nanosecond operations
   * many times a second; the scale group runs operations of up to a few seconds on traces of up to
   * a million spans (in {@code --full} mode only at the 100k and 1M spans the budgets compare, to
   * keep the whole run under 30 minutes on 2 cores); the extension group times whole launcher
   * runs, one a measurement, in forks of its own per variant.
   */
  private enum Group {
    RECORDING("\\.(?!Scale|JsonScale|AssertionScale|Extension)\\w+Benchmark\\."),
    SCALE("\\.(Scale|JsonScale|AssertionScale)Benchmark\\."),
    EXTENSION("\\.ExtensionBenchmark\\.");

    final String include;

    Group(String include) {
      this.include = include;
    }

    void configure(ChainedOptionsBuilder options, boolean full) {
      switch (this) {
        case RECORDING:
          if (full) {
            // Ten measurements of a second: JMH's error shrinks with their number (t(9) = 4.8 at
            // 99.9%), hardly with their length once each holds millions of operations. Twenty-eight
            // benchmarks of 5 + 10 iterations of 2 s took 15 minutes alone.
            options.warmupIterations(4).warmupTime(TimeValue.seconds(1)).measurementIterations(10)
                .measurementTime(TimeValue.seconds(1));
          } else {
            // Five short measurements rather than three long ones: JMH's 99.9% error with n samples is
            // t(n-1) * stdev / sqrt(n), and t drops from 31.6 at n = 3 to 8.6 at n = 5.
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(TimeValue.milliseconds(500));
          }
          break;
        case SCALE:
          if (full) {
            // A 1M-span operation takes up to two seconds: each iteration is one or a few of them.
            options.param("spans", "100000", "1000000").warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(8).measurementTime(TimeValue.seconds(2));
          } else {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(5)
                .measurementTime(TimeValue.milliseconds(500));
          }
          break;
        default:
          // One launcher run of 20,000 tests an iteration. The first runs of a fork take seconds
          // (JUnit's and traceunit's code compiled, the heap grown), and the sixth was still 30%
          // slower than the tenth: ten to twelve are warm-up. Two forks in full mode, so that a
          // fork's JIT choices show in the error.
          options.mode(Mode.SingleShotTime).forks(full ? 2 : 1).warmupIterations(full ? 12 : 10)
              .measurementIterations(full ? 10 : 5)
              .jvmArgsAppend("-Dbuild.folder=" + System.getProperty("build.folder", "target"));
          break;
      }
    }
  }

  public static void main(String[] args) throws RunnerException, IOException {
    long began = System.nanoTime();
    boolean full = false;
    String filter = null;
    for (String arg : args) {
      if (arg.equals("--full")) {
        full = true;
      } else if (arg.equals("--quick")) {
        full = false;
      } else {
        filter = arg;
      }
    }
    // run.sh passes the build folder it built into (-Dbuild.folder), so side-by-side builds keep apart.
    Path results = Path.of("benchmarks", System.getProperty("build.folder", "target"), "jmh-result.json");
    Files.createDirectories(results.getParent());
    List<RunResult> runs = new ArrayList<>();
    for (String variant : new String[] {"withoutExtension", "withExtension", "withExtensionNoReport"}) {
      Files.deleteIfExists(ExtensionBenchmark.cpuFile(variant)); // the forks append this run's figures
    }
    for (Group group : Group.values()) {
      // Both the group's expression and the one given must match: a look-ahead for the latter.
      String include = (filter == null ? "" : "^(?=.*(?:" + filter + "))") + ".*" + group.include;
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include(include)
          .forks(1)
          .addProfiler(GCProfiler.class)
          .shouldFailOnError(true);
      group.configure(options, full);
      try {
        runs.addAll(runWhenFree(options));
      } catch (NoBenchmarksException e) {
        // none of this group matches the expression given
      }
    }
    if (runs.isEmpty()) {
      throw new RunnerException("no benchmark matches " + filter);
    }
    try (PrintStream json = new PrintStream(Files.newOutputStream(results), false, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(runs);
    }
    BudgetRun report = new BudgetRun();
    for (RunResult run : runs) {
      report.add(run);
    }
    report.print(full ? "full" : "quick", results);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
    report.out.printf("%nJMH runs took %d min %02d s%n", seconds / 60, seconds % 60);
  }

  /**
   * Runs JMH once no other JMH run on the machine holds its lock ({@code /tmp/jmh.lock}): JMH itself
   * gives up at once, and another run could take the lock between two groups of this one.
   */
  private static Collection<RunResult> runWhenFree(ChainedOptionsBuilder options) throws RunnerException {
    boolean said = false;
    while (true) {
      try {
        return new Runner(options.build()).run();
      } catch (RunnerException e) {
        if (e instanceof NoBenchmarksException || String.valueOf(e.getMessage()).indexOf("JMH lock") < 0) {
          throw e;
        }
        if (!said) {
          System.out.println("Another JMH run holds /tmp/jmh.lock: waiting for it to end");
          said = true;
        }
        try {
          Thread.sleep(10_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Files a run under its key: the class without {@code Benchmark}, a dot, the method, then
   * {@code @spans} and {@code #retention} when the benchmark has those parameters, e.g.
   * {@code RootSpan.traceunit#10000} or {@code JsonScale.read@100000}.
   */
  private void add(RunResult run) {
    String name = run.getParams().getBenchmark().substring(PACKAGE.length()).replace("Benchmark.", ".");
    String spans = run.getParams().getParam("spans");
    String retention = run.getParams().getParam("retention");
    String key = name + (spans == null ? "" : "@" + spans) + (retention == null ? "" : "#" + retention);
    Result<?> primary = run.getPrimaryResult();
    time.put(key, new Figure(primary.getScore(), primary.getScoreError()));
    Result<?> allocation = run.getSecondaryResults().get(ALLOCATION);
    if (allocation != null) {
      bytes.put(key, new Figure(allocation.getScore(), allocation.getScoreError()));
    }
  }

  private void print(String mode, Path results) {
    out.println();
    out.println("traceunit benchmarks (" + mode + " mode; JMH error is the 99.9% interval; raw results in "
        + results + ")");
    recording();
    scale();
    extension();
    out.println();
    out.println("Budgets");
    verdicts.forEach(out::println);
  }

  /** The one-thread workloads, recorded at both retentions: a key's prefix and its label. */
  private static final String[][] WORKLOADS = {{"RootSpan", "root span, 3 attributes"},
      {"ParentChild", "parent + child + event"}};
  private static final String[] RETENTIONS = {"1024", "10000"};
  /** The retention of a test's trace that the per-span budgets against the floor hold at. */
  private static final String TEST_RETENTION = "10000";

  private void recording() {
    if (time.keySet().stream().noneMatch(key -> key.startsWith("RootSpan.") || key.startsWith("ParentChild.")
        || key.startsWith("Concurrent.") || key.startsWith("Disabled."))) {
      return; // a run of other benchmarks only
    }
    String[] libs = {"traceunit", "otelSdk", "micrometer", "floor"};
    out.println();
    out.printf("%-34s %-26s %-26s %-26s %-26s%n", "recording (ns/op, B/op)", "traceunit", "OTel SDK",
        "Micrometer SimpleTracer", "floor");
    List<String[]> rows = new ArrayList<>();
    for (String[] workload : WORKLOADS) {
      for (String retention : RETENTIONS) {
        rows.add(new String[] {workload[0], "#" + retention,
            workload[1] + ", " + String.format("%,d", Integer.parseInt(retention)) + " kept"});
      }
    }
    rows.add(new String[] {"Concurrent", "", "8 threads, root span, 1,024 kept"});
    for (String[] row : rows) {
      if (!time.containsKey(row[0] + ".traceunit" + row[1])) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.format("%-34s", row[2]));
      for (String lib : libs) {
        line.append(' ').append(String.format("%-26s", cell(row[0] + "." + lib + row[1])));
      }
      out.println(line);
    }
    for (String retention : RETENTIONS) {
      String mock = "RootSpan.traceunitMockClock#" + retention;
      if (time.containsKey(mock)) {
        out.printf("%-34s %-26s%n", "root span, mock clock, " + String.format("%,d", Integer.parseInt(retention))
            + " kept", cell(mock));
      }
    }
    safeFloor(rows);
    if (time.containsKey("Disabled.traceunit")) {
      out.printf("%-34s %-26s %-26s %-26s %-26s%n", "disabled (no-op)", cell("Disabled.traceunit"),
          cell("Disabled.otelNoop"), cell("Disabled.micrometerNoop"), "-");
    }
    out.println();
    out.printf("%-34s %-22s %-22s %-22s %-22s%n", "ratios", "time traceunit/OTel", "time traceunit/floor",
        "bytes traceunit/OTel", "bytes traceunit/floor");
    for (String[] row : rows) {
      String tu = row[0] + ".traceunit" + row[1];
      if (!time.containsKey(tu)) {
        continue;
      }
      Figure vsOtel = ratio(time, tu, row[0] + ".otelSdk" + row[1]);
      Figure vsFloor = ratio(time, tu, row[0] + ".floor" + row[1]);
      Figure bytesVsOtel = ratio(bytes, tu, row[0] + ".otelSdk" + row[1]);
      Figure bytesVsFloor = ratio(bytes, tu, row[0] + ".floor" + row[1]);
      out.printf("%-34s %-22s %-22s %-22s %-22s%n", row[2], vsOtel, vsFloor, bytesVsOtel, bytesVsFloor);
      if (row[0].equals("Concurrent")) {
        continue;
      }
      budget("recording, " + row[2] + ": time <= 0.5x OTel SDK", vsOtel, 0.5, "x");
      budget("allocation, " + row[2] + ": bytes <= 0.5x OTel SDK", bytesVsOtel, 0.5, "x");
      if (row[1].equals("#" + TEST_RETENTION)) {
        budget("recording, " + row[2] + ": time <= 1.5x floor", vsFloor, 1.5, "x");
        budget("allocation, " + row[2] + ": bytes <= 1.5x floor", bytesVsFloor, 1.5, "x");
      } else {
        budget("recording, " + row[2] + ": time <= 3x floor", vsFloor, 3, "x");
      }
    }
    String mock = "RootSpan.traceunitMockClock#" + TEST_RETENTION;
    if (time.containsKey(mock)) {
      Figure vsFloor = ratio(time, mock, "RootSpan.floor#" + TEST_RETENTION);
      out.printf("%-34s %-22s %-22s%n", "root span, mock clock, 10,000 kept", "-", vsFloor);
      budget("recording, root span under the mock clock, 10,000 kept: time < 1x the floor's on the system clock",
          vsFloor, 0.999, "x");
    }
    if (time.containsKey("Disabled.traceunit")) {
      budget("disabled path: <= 5 ns/op", time.get("Disabled.traceunit"), 5, " ns/op");
      budget("disabled path: 0 B/op (below 1)", bytes.get("Disabled.traceunit"), 0.99, " B/op");
    }
  }

  /**
   * The floor made thread-safe ({@code SafeFloor}: a shared id counter, a lock per attribute and
   * event write, the end set by compare-and-set), beside the floor and traceunit: what the floor
   * really is for a recorder that other threads may read and write while it records.
   */
  private void safeFloor(List<String[]> rows) {
    for (String[] row : rows) {
      String safe = row[0] + ".floorThreadSafe" + row[1];
      if (time.containsKey(safe)) {
        out.printf("%-34s %-26s traceunit/it: time %s, bytes %s%n", row[2] + ", floor made thread-safe", cell(safe),
            ratio(time, row[0] + ".traceunit" + row[1], safe), ratio(bytes, row[0] + ".traceunit" + row[1], safe));
      }
    }
  }

  /**
   * Floors printed with the operations, without a budget of their own: a plain loop over the
   * spans' objects, and a trace built again from plain values (what reading one must allocate).
   */
  private static final List<String> FLOORS = List.of("Scale.spanWalk", "JsonScale.build");

  private void scale() {
    String[] sizes = {"1000", "10000", "100000", "1000000"};
    String[] operations = {"Scale.firstSnapshot", "Scale.snapshot", "Scale.render", "JsonScale.write", "JsonScale.read",
        "AssertionScale.hasSpan", "AssertionScale.hasTreeShape", "AssertionScale.matchesSnapshot", FLOORS.get(0),
        FLOORS.get(1)};
    boolean any = false;
    for (String operation : operations) {
      any |= time.containsKey(operation + "@100000") || time.containsKey(operation + "@1000");
    }
    if (!any) {
      return;
    }
    out.println();
    out.printf("%-28s", "scale (ms/op)");
    for (String size : sizes) {
      out.printf(" %-24s", String.format("%,d spans", Integer.parseInt(size)));
    }
    out.printf(" %-16s%n", "1M / 100k");
    for (String operation : operations) {
      if (!time.containsKey(operation + "@1000") && !time.containsKey(operation + "@100000")) {
        continue;
      }
      out.printf("%-28s", operation.replace("Scale.", " ").trim());
      for (String size : sizes) {
        out.printf(" %-24s", cell(operation + "@" + size));
      }
      Figure growth = ratio(time, operation + "@1000000", operation + "@100000");
      out.printf(" %-16s%n", growth);
      if (!FLOORS.contains(operation)) {
        budget("linear scale, " + operation + ": 1M <= 12x 100k", growth, 12, "x");
      }
    }
    Figure render = time.get("Scale.render@100000");
    for (String snapshot : new String[] {"Scale.firstSnapshot", "Scale.snapshot"}) {
      Figure taken = time.get(snapshot + "@100000");
      if (taken != null && render != null) {
        budget("render + " + snapshot.substring(6) + " of 100k spans < 300 ms", taken.plus(render), 300, " ms");
      }
    }
    if (time.containsKey("JsonScale.read@100000")) {
      budget("TraceJson.read of 100k spans <= 200 ms", time.get("JsonScale.read@100000"), 200, " ms");
    }
    if (time.containsKey("AssertionScale.hasSpan@100000")) {
      budget("hasSpan on a 100k-span trace < 20 ms", time.get("AssertionScale.hasSpan@100000"), 20, " ms");
    }
  }

  /** What the extension may add to each test, with the report on (the default) and off (issue 20). */
  private static final double EXTENSION_BUDGET_MICROS = 20;

  private void extension() {
    Figure without = time.get("Extension.withoutExtension");
    if (without == null) {
      return;
    }
    int tests = EXTENSION_TESTS;
    out.println();
    out.printf("extension, launcher run of %,d trivial tests: without %s ms%n", tests, without);
    String[][] variants = {{"Extension.withExtension", "with TraceExtension (defaults: report on)"},
        {"Extension.withExtensionNoReport", "with TraceExtension, traceunit.report=false"}};
    for (String[] variant : variants) {
      Figure with = time.get(variant[0]);
      if (with != null) {
        Figure perTest = with.minus(without).times(1000.0 / tests);
        Figure bytesWith = bytes.get(variant[0]);
        Figure bytesWithout = bytes.get("Extension.withoutExtension");
        String allocated = bytesWith == null || bytesWithout == null ? ""
            : ", " + bytesWith.minus(bytesWithout).times(1.0 / tests) + " B/test allocated";
        out.printf("  %-46s %s ms, overhead %s µs/test%s%n", variant[1], with, perTest, allocated);
        budget(String.format("extension overhead <= %.0f µs per test in a run of %,d tests, %s",
            EXTENSION_BUDGET_MICROS, tests, variant[1]), perTest, EXTENSION_BUDGET_MICROS, " µs");
      }
    }
    Figure cpuWithout = threadCpu("withoutExtension");
    if (cpuWithout == null) {
      return;
    }
    out.printf("  thread CPU time of a run (the test thread's; less spread than wall time on a shared machine):"
        + " without %s ms%n", cpuWithout);
    for (String[] variant : variants) {
      Figure cpu = threadCpu(variant[0].substring("Extension.".length()));
      if (cpu != null) {
        out.printf("  %-46s %s ms, overhead %s µs/test%n", variant[1], cpu,
            cpu.minus(cpuWithout).times(1000.0 / tests));
      }
    }
  }

  /** The mean thread CPU time of a variant's measured runs, in ms, with JMH's 99.9% error; null without data. */
  private static Figure threadCpu(String variant) {
    Path file = ExtensionBenchmark.cpuFile(variant);
    try {
      if (!Files.exists(file)) {
        return null;
      }
      ListStatistics runs = new ListStatistics();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          runs.addValue(Long.parseLong(line.trim()) / 1e6);
        }
      }
      return runs.getN() < 2 ? null : new Figure(runs.getMean(), runs.getMeanErrorAt(0.999));
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private String cell(String key) {
    Figure t = time.get(key);
    if (t == null) {
      return "-";
    }
    Figure b = bytes.get(key);
    return b == null || key.contains("@") ? t.toString() : t + ", " + Math.round(b.score) + " B";
  }

  private static Figure ratio(Map<String, Figure> figures, String numerator, String denominator) {
    Figure a = figures.get(numerator);
    Figure b = figures.get(denominator);
    return a == null || b == null ? null : a.dividedBy(b);
  }

  private void budget(String what, Figure measured, double bound, String unit) {
    if (measured == null) {
      verdicts.add(String.format("  %-8s %s: no data in this run", "-", what));
      return;
    }
    String verdict;
    if (measured.score <= bound) {
      verdict = measured.score + measured.error <= bound ? "met" : "met*";
    } else {
      verdict = measured.score - measured.error > bound ? "MISSED" : "MISSED*";
    }
    verdicts.add(String.format(Locale.ROOT, "  %-8s %s: measured %s%s", verdict, what, measured, unit));
  }

  /** A JMH score with its error; ratios and sums carry the error along (independent errors). */
  private static final class Figure {
    final double score;
    final double error;

    Figure(double score, double error) {
      this.score = score;
      this.error = Double.isNaN(error) ? 0 : error;
    }

    Figure dividedBy(Figure other) {
      double ratio = score / other.score;
      return new Figure(ratio, Math.abs(ratio) * Math.hypot(error / score, other.error / other.score));
    }

    Figure plus(Figure other) {
      return new Figure(score + other.score, Math.hypot(error, other.error));
    }

    Figure minus(Figure other) {
      return new Figure(score - other.score, Math.hypot(error, other.error));
    }

    Figure times(double factor) {
      return new Figure(score * factor, error * Math.abs(factor));
    }

    @Override
    public String toString() {
      return format(score) + " ± " + format(error);
    }

    private static String format(double value) {
      double magnitude = Math.abs(value);
      if (magnitude > 0 && magnitude < 0.01) {
        return new BigDecimal(value).round(new MathContext(2)).toPlainString();
      }
      String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
      return String.format(Locale.ROOT, pattern, value);
    }
  }
}
