package dev.traceunit.architecture;

import static dev.traceunit.architecture.InternalTypesRule.userPackagesExposeNoInternalType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.traceunit.architecture.fixture.encapsulated.Encapsulated;
import dev.traceunit.architecture.fixture.leaky.Leaky;
import dev.traceunit.architecture.fixture.leaky.LeakySubtype;
import org.junit.jupiter.api.Test;

class InternalTypesTest {

  @Test
  void publishedModulesExposeNoInternalType() {
    userPackagesExposeNoInternalType().check(PublishedClasses.main());
  }

  @Test
  void aPublicMemberNamingAnInternalTypeIsAViolation() {
    EvaluationResult result = evaluate(Leaky.class, Leaky.Nested.class);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails()).containsExactlyInAnyOrder(
        "field " + Leaky.class.getName() + ".value is of the internal type " + internal("InternalValue"),
        "method " + Leaky.class.getName() + ".value() returns the internal type " + internal("InternalValue"),
        "method " + Leaky.class.getName() + ".accept(java.util.List) takes the internal type "
            + internal("InternalValue"),
        "constructor " + Leaky.class.getName() + ".<init>(" + internal("InternalValue")
            + ") takes the internal type " + internal("InternalValue"),
        "method " + Leaky.class.getName() + ".check() throws the internal type " + internal("InternalFailure"),
        "method " + Leaky.Nested.class.getName() + ".values() returns the internal type "
            + internal("InternalValue"));
  }

  @Test
  void aPublicTypeExtendingAnInternalTypeIsAViolation() {
    EvaluationResult result = evaluate(LeakySubtype.class);

    assertThat(result.getFailureReport().getDetails()).containsExactly(
        LeakySubtype.class.getName() + " extends the internal type " + internal("InternalValue"));
  }

  @Test
  void internalTypesUsedOnlyInsideAreNoViolation() {
    EvaluationResult result = evaluate(Encapsulated.class);

    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  @Test
  void theRuleFailsTheBuildWithTheMemberNamed() {
    JavaClasses leaky = new ClassFileImporter().importClasses(Leaky.class);

    assertThatThrownBy(() -> userPackagesExposeNoInternalType().check(leaky))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("method " + Leaky.class.getName() + ".value() returns the internal type "
            + internal("InternalValue"));
  }

  private static EvaluationResult evaluate(Class<?>... fixtures) {
    return userPackagesExposeNoInternalType().evaluate(new ClassFileImporter().importClasses(fixtures));
  }

  private static String internal(String simpleName) {
    return "dev.traceunit.architecture.fixture.internal." + simpleName;
  }
}
