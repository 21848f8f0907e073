package dev.traceunit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The user packages hold only what the documentation leads to: every public top-level type of a
 * user package is named in README.md or a docs/*.md page, or a public signature of a type that is
 * (its supertypes, public fields, constructors and methods, of it and its public nested types)
 * names it. So a type a user meets only as the return type of a documented method (a {@code
 * SpanAssert} from {@code hasRootSpan}) needs no page of its own, but a public type nothing
 * documented leads to (a service class, a helper another module uses) is a violation: document
 * it, or make it package-private or move it to an internal package.
 */
final class DocumentedTypesRule {

  /** The packages users import; their internal and spi packages are not among them. */
  static final List<String> USER_PACKAGES = List.of("dev.traceunit.core", "dev.traceunit.clock",
      "dev.traceunit.assertions", "dev.traceunit.junit", "dev.traceunit.otel", "dev.traceunit.micrometer");

  private static final Pattern WORD = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private DocumentedTypesRule() {}

  /** The rule over the user packages, with README.md and docs/*.md of the repository as the documentation. */
  static ArchRule userPackagesHoldOnlyDocumentedTypes() {
    return publicTypesAreDocumented(repositoryDocumentation(), USER_PACKAGES);
  }

  /**
   * The rule for {@code packages} (exactly these, not their subpackages) with {@code documentation}
   * as the text that must name or lead to each public type.
   */
  static ArchRule publicTypesAreDocumented(String documentation, Collection<String> packages) {
    Set<String> words = new HashSet<>();
    Matcher word = WORD.matcher(documentation);
    while (word.find()) {
      words.add(word.group());
    }
    return classes().that().resideInAnyPackage(packages.toArray(String[]::new))
        .should(beNamedOrLedToBy(words, Set.copyOf(packages)))
        .allowEmptyShould(false);
  }

  private static ArchCondition<JavaClass> beNamedOrLedToBy(Set<String> words, Set<String> packages) {
    return new ArchCondition<>("be public only if the documentation names it or leads to it") {
      private Set<JavaClass> reached = Set.of();

      @Override
      public void init(Collection<JavaClass> all) {
        reached = reachedFromDocumented(all, words, packages);
      }

      @Override
      public void check(JavaClass type, ConditionEvents events) {
        if (type.getEnclosingClass().isEmpty() && type.getModifiers().contains(JavaModifier.PUBLIC)
            && !reached.contains(type)) {
          events.add(SimpleConditionEvent.violated(type, type.getName() + " is public in a user package, but neither"
              + " README.md nor docs/*.md names " + type.getSimpleName() + " and no public signature of a documented"
              + " type leads to it: document it, or make it package-private or move it to an internal package"));
        }
      }
    };
  }

  /** The public top-level types named in the documentation, and every one their public signatures lead to. */
  private static Set<JavaClass> reachedFromDocumented(Collection<JavaClass> all, Set<String> words, Set<String> packages) {
    Map<JavaClass, List<JavaClass>> nested = new HashMap<>();
    Deque<JavaClass> todo = new ArrayDeque<>();
    Set<JavaClass> reached = new HashSet<>();
    for (JavaClass type : all) {
      type.getEnclosingClass().ifPresent(owner -> nested.computeIfAbsent(owner, o -> new ArrayList<>()).add(type));
      if (type.getEnclosingClass().isEmpty() && words.contains(type.getSimpleName()) && reached.add(type)) {
        todo.add(type);
      }
    }
    while (!todo.isEmpty()) {
      JavaClass type = todo.removeFirst();
      for (JavaClass led : signatureTypes(type)) {
        JavaClass top = topLevel(led);
        if (packages.contains(top.getPackageName()) && reached.add(top)) {
          todo.add(top);
        }
      }
      for (JavaClass inner : nested.getOrDefault(type, List.of())) {
        if (visible(inner.getModifiers())) {
          todo.add(inner); // its signatures count; it is not a top-level type itself
        }
      }
    }
    return reached;
  }

  /** The types a user sees in {@code type}'s supertypes and public or protected members. */
  private static Set<JavaClass> signatureTypes(JavaClass type) {
    List<JavaType> seen = new ArrayList<>();
    type.getSuperclass().ifPresent(seen::add);
    seen.addAll(type.getInterfaces());
    for (JavaField field : type.getFields()) {
      if (visible(field)) {
        seen.add(field.getType());
      }
    }
    for (JavaCodeUnit member : type.getCodeUnits()) {
      if (visible(member) && !member.getModifiers().contains(JavaModifier.SYNTHETIC)) {
        seen.add(member.getReturnType());
        seen.addAll(member.getParameterTypes());
        seen.addAll(member.getThrowsClause().getTypes());
      }
    }
    Set<JavaClass> raw = new HashSet<>();
    for (JavaType t : seen) {
      for (JavaClass involved : t.getAllInvolvedRawTypes()) {
        raw.add(involved.isArray() ? involved.getBaseComponentType() : involved);
      }
    }
    return raw;
  }

  private static JavaClass topLevel(JavaClass type) {
    JavaClass top = type;
    for (Optional<JavaClass> owner = type.getEnclosingClass(); owner.isPresent(); owner = owner.get().getEnclosingClass()) {
      top = owner.get();
    }
    return top;
  }

  private static boolean visible(JavaMember member) {
    return visible(member.getModifiers());
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  /** README.md and every docs/*.md page of the repository this module is in. */
  static String repositoryDocumentation() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    StringBuilder text = new StringBuilder();
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      text.append(Files.readString(root.resolve("README.md")));
      for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        text.append('\n').append(Files.readString(page));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("README.md and docs/ are read from " + root, e);
    }
    return text.toString();
  }
}
