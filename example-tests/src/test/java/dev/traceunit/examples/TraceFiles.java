package dev.traceunit.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints where the trace files (and the report page, if the extension wrote one) of the last test
 * run are. The demo profile runs it after the tests:
 * JUnit writes files published with {@code publishFile} under {@code target/junit-jupiter/<class>/<test>/}
 * (the platform's default output directory when it finds a pom.xml).
 */
final class TraceFiles {

  private TraceFiles() {}

  public static void main(String[] args) throws IOException {
    Path root = Paths.get(args.length > 0 ? args[0] : "target").resolve("junit-jupiter");
    List<Path> files = List.of();
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root)) {
        files = walk.filter(f -> f.getFileName().toString().startsWith("trace.")).sorted().collect(Collectors.toList());
      }
    }
    System.out.println();
    System.out.println("traceunit: " + files.size() + " trace report file(s) under " + root.toAbsolutePath());
    files.forEach(f -> System.out.println("  '" + root.relativize(f) + "'")); // quoted: names hold spaces
    Path page = root.resolveSibling("traceunit-report").resolve("index.html");
    if (Files.isRegularFile(page)) {
      System.out.println("traceunit: the run's report page is " + page.toAbsolutePath().toUri());
    }
    System.out.println();
  }
}
