package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the installed traceunit jars carry, read from the jars this project resolved: a JPMS module
 * name, the licence, and sources and javadoc jars beside each one; and that this project uses every
 * artifact the BOM lists.
 */
class PublishedJarsTest {

  private static final List<Path> TRACEUNIT_JARS = traceunitJars();

  @Test
  void everyTraceunitJarHasAModuleName() {
    assertThat(TRACEUNIT_JARS).isNotEmpty();
    for (Path jar : TRACEUNIT_JARS) {
      ModuleReference module = ModuleFinder.of(jar).findAll().iterator().next();
      assertThat(module.descriptor().name()).as("module name of " + jar.getFileName())
          .startsWith("dev.traceunit.");
      assertThat(module.descriptor().isAutomatic()).isTrue();
    }
  }

  @Test
  void everyTraceunitJarCarriesTheLicenceAndHasSourcesAndJavadocBesideIt() throws IOException {
    for (Path jar : TRACEUNIT_JARS) {
      String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
      Path sources = jar.resolveSibling(base + "-sources.jar");
      Path javadoc = jar.resolveSibling(base + "-javadoc.jar");
      assertEntries(jar, "META-INF/LICENSE", ".class");
      assertEntries(sources, "META-INF/LICENSE", ".java");
      assertEntries(javadoc, "META-INF/LICENSE", "index.html");
    }
  }

  @Test
  void thisProjectDependsOnEveryArtifactOfTheBom() throws IOException {
    Path repositoryVersionDir = TRACEUNIT_JARS.get(0).getParent();
    String version = repositoryVersionDir.getFileName().toString();
    Path bom = repositoryVersionDir.getParent().getParent()
        .resolve("traceunit-bom").resolve(version).resolve("traceunit-bom-" + version + ".pom");
    List<String> managed = new ArrayList<>();
    Matcher m = Pattern.compile("<artifactId>(traceunit-[a-z-]+)</artifactId>").matcher(Files.readString(bom));
    while (m.find()) {
      if (!m.group(1).equals("traceunit-bom")) {
        managed.add(m.group(1));
      }
    }
    List<String> used = TRACEUNIT_JARS.stream()
        .map(jar -> jar.getParent().getParent().getFileName().toString()).toList();

    assertThat(managed).as("artifacts listed in " + bom).isNotEmpty();
    assertThat(used).as("traceunit jars on this project's test class path")
        .containsExactlyInAnyOrderElementsOf(managed);
  }

  private static void assertEntries(Path jar, String entry, String suffix) throws IOException {
    assertThat(jar).as("jar").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getEntry(entry)).as(entry + " in " + jar.getFileName()).isNotNull();
      assertThat(file.stream().anyMatch(e -> e.getName().endsWith(suffix)))
          .as("an entry ending in " + suffix + " in " + jar.getFileName()).isTrue();
    }
  }

  private static List<Path> traceunitJars() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (path.getFileName().toString().startsWith("traceunit-") && entry.endsWith(".jar")) {
        jars.add(path);
      }
    }
    return jars;
  }
}
