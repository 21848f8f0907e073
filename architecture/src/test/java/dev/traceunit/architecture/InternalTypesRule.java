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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What modules share lives in {@code …internal} packages, which are not API: a type of a user
 * package may use them in its body, but never name one where a user sees it — as its supertype, or
 * in the type, parameters, return type or throws clause of a public or protected member of a
 * public type (type arguments included: {@code List<Internal>} counts).
 */
final class InternalTypesRule {

  static final String INTERNAL = "..internal..";

  private InternalTypesRule() {}

  /** The rule over every class under {@code dev.traceunit} outside an internal package. */
  static ArchRule userPackagesExposeNoInternalType() {
    return classes().that().resideInAPackage("dev.traceunit..").and().resideOutsideOfPackage(INTERNAL)
        .should(exposeNoInternalType())
        .allowEmptyShould(false);
  }

  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("expose no type of an internal package in a public signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        if (!visibleToUsers(type)) {
          return;
        }
        Optional<JavaType> superclass = type.getSuperclass();
        superclass.ifPresent(s -> report(events, type, type.getName() + " extends", List.of(s)));
        report(events, type, type.getName() + " implements", type.getInterfaces());
        for (JavaField field : type.getFields()) {
          if (visible(field)) {
            report(events, type, "field " + field.getFullName() + " is of", List.of(field.getType()));
          }
        }
        for (JavaCodeUnit member : type.getCodeUnits()) {
          if (!visible(member) || member.getModifiers().contains(JavaModifier.SYNTHETIC)
              || member.getModifiers().contains(JavaModifier.BRIDGE)) {
            continue;
          }
          String name = (member.isConstructor() ? "constructor " : "method ") + member.getFullName();
          report(events, type, name + " returns", List.of(member.getReturnType()));
          report(events, type, name + " takes", member.getParameterTypes());
          report(events, type, name + " throws", member.getThrowsClause().getTypes());
        }
      }
    };
  }

  private static void report(ConditionEvents events, JavaClass owner, String where,
      Collection<? extends JavaType> types) {
    Set<String> internal = new TreeSet<>();
    for (JavaType t : types) {
      for (JavaClass raw : t.getAllInvolvedRawTypes()) {
        JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
        if (base.getPackageName().matches("(.*\\.)?internal(\\..*)?")) {
          internal.add(base.getName());
        }
      }
    }
    if (!internal.isEmpty()) {
      events.add(SimpleConditionEvent.violated(owner,
          where + " the internal type" + (internal.size() == 1 ? " " : "s ") + String.join(", ", internal)));
    }
  }

  /** A public type whose enclosing types are public too. */
  private static boolean visibleToUsers(JavaClass type) {
    for (Optional<JavaClass> t = Optional.of(type); t.isPresent(); t = t.get().getEnclosingClass()) {
      if (!t.get().getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }
}
