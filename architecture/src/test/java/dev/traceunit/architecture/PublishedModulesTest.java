package dev.traceunit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Which modules are published, read from the poms: every published jar is in {@code traceunit-bom}
 * and carries a module name; every other module stays out of the BOM and out of deployment.
 */
class PublishedModulesTest {

  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

  @Test
  void theBomManagesExactlyThePublishedJars() throws Exception {
    Element bom = pom(ROOT.resolve("bom/pom.xml"));
    List<String> managed = new ArrayList<>();
    for (Element dependency : all(child(child(bom, "dependencyManagement").orElseThrow(), "dependencies")
        .orElseThrow(), "dependency")) {
      assertThat(text(dependency, "groupId")).as("groupId of a BOM entry").isEqualTo("dev.traceunit");
      assertThat(text(dependency, "version")).as("version of " + text(dependency, "artifactId"))
          .isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }

    assertThat(managed).as("artifacts in bom/pom.xml").containsExactlyInAnyOrderElementsOf(publishedJars().keySet());
  }

  @Test
  void theBomHasNoParentAndPinsNothingButTraceunit() throws Exception {
    Element bom = pom(ROOT.resolve("bom/pom.xml"));

    assertThat(child(bom, "parent")).as("the BOM's parent: importing it would import the parent's versions too")
        .isEmpty();
    assertThat(child(bom, "properties")).as("the BOM's properties").isEmpty();
    for (String required : List.of("name", "description", "url", "licenses", "developers", "scm")) {
      assertThat(child(bom, required)).as("<" + required + "> in bom/pom.xml, inherited by every module").isPresent();
    }
  }

  @Test
  void everyPublishedJarNamesItsModuleAfterItsPackage() throws Exception {
    Map<String, Path> published = publishedJars();
    assertThat(published).isNotEmpty();
    published.forEach((artifactId, dir) -> {
      String moduleName = property(pomUnchecked(dir.resolve("pom.xml")), "traceunit.module.name").orElse("");
      assertThat(moduleName).as("traceunit.module.name (Automatic-Module-Name) of " + artifactId)
          .startsWith("dev.traceunit.");
      assertThat(dir.resolve("src/main/java").resolve(moduleName.replace('.', '/')))
          .as("the package " + moduleName + " in " + artifactId).isDirectory();
    });
  }

  @Test
  void unpublishedModulesBuildNoSourcesOrJavadocAndAreNotInstalled() throws Exception {
    List<String> unpublished = new ArrayList<>();
    for (Path dir : modules()) {
      Element pom = pom(dir.resolve("pom.xml"));
      assertThat(child(pom, "name")).as("<name> of " + dir.getFileName()).isPresent();
      assertThat(child(pom, "description")).as("<description> of " + dir.getFileName()).isPresent();
      if (!published(pom)) {
        unpublished.add(dir.getFileName().toString());
        for (String skip : List.of("maven.install.skip", "maven.source.skip", "maven.javadoc.skip")) {
          assertThat(property(pom, skip)).as(skip + " of the unpublished " + dir.getFileName()).contains("true");
        }
        assertThat(property(pom, "traceunit.module.name")).as("module name of " + dir.getFileName()).isEmpty();
      }
    }
    assertThat(unpublished).contains(
        "benchmarks", "example-tests", "example-spring", "reliability", "architecture");
  }

  /** Published jars by artifactId: modules with Java code that do not skip deployment. */
  private static Map<String, Path> publishedJars() throws Exception {
    Map<String, Path> jars = new TreeMap<>();
    for (Path dir : modules()) {
      Element pom = pom(dir.resolve("pom.xml"));
      if (published(pom) && child(pom, "packaging").map(Node::getTextContent).orElse("jar").equals("jar")) {
        jars.put(text(pom, "artifactId"), dir);
      }
    }
    return jars;
  }

  private static boolean published(Element pom) {
    return !property(pom, "maven.deploy.skip").orElse("false").equals("true");
  }

  private static List<Path> modules() throws Exception {
    List<Path> modules = new ArrayList<>();
    for (Element module : all(child(pom(ROOT.resolve("pom.xml")), "modules").orElseThrow(), "module")) {
      modules.add(ROOT.resolve(module.getTextContent().trim()));
    }
    assertThat(new TreeSet<>(modules.stream().map(p -> p.getFileName().toString()).toList()))
        .as("modules of the root pom").contains("bom", "core", "architecture");
    return modules;
  }

  private static Optional<String> property(Element pom, String name) {
    return child(pom, "properties").flatMap(p -> child(p, name)).map(e -> e.getTextContent().trim());
  }

  private static Element pom(Path file) throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no pom at " + file);
    }
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static Element pomUnchecked(Path file) {
    try {
      return pom(file);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static Optional<Element> child(Element parent, String name) {
    return all(parent, name).stream().findFirst();
  }

  private static String text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().trim())
        .orElseThrow(() -> new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">"));
  }

  /** Direct children with this tag name. */
  private static List<Element> all(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }
}
