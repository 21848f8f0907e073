package dev.traceunit.architecture;

import static dev.traceunit.architecture.DocumentedTypesRule.publicTypesAreDocumented;
import static dev.traceunit.architecture.DocumentedTypesRule.userPackagesHoldOnlyDocumentedTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.traceunit.architecture.fixture.documented.Hidden;
import dev.traceunit.architecture.fixture.documented.Named;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentedTypesTest {

  private static final String FIXTURE = Named.class.getPackageName();
  private static final String FIXTURE_DOCS = "Start with `Named`: its `reached()` answers the rest.";

  @Test
  void everyPublicTypeOfAUserPackageIsDocumentedOrLedTo() {
    userPackagesHoldOnlyDocumentedTypes().check(PublishedClasses.main());
  }

  @Test
  void aPublicTypeNothingDocumentedLeadsToIsTheOneViolation() {
    EvaluationResult result = publicTypesAreDocumented(FIXTURE_DOCS, List.of(FIXTURE)).evaluate(fixture());

    assertThat(result.getFailureReport().getDetails()).containsExactly(Hidden.class.getName() + " is public in a user"
        + " package, but neither README.md nor docs/*.md names Hidden and no public signature of a documented type"
        + " leads to it: document it, or make it package-private or move it to an internal package");
  }

  @Test
  void namingTheTypeInTheDocumentationIsEnough() {
    EvaluationResult result = publicTypesAreDocumented(FIXTURE_DOCS + " `Hidden` is for experts.", List.of(FIXTURE))
        .evaluate(fixture());

    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  @Test
  void withoutTheEntryPointNothingIsLedTo() {
    EvaluationResult result = publicTypesAreDocumented("nothing named here", List.of(FIXTURE)).evaluate(fixture());

    assertThat(result.getFailureReport().getDetails()).hasSize(4)
        .allSatisfy(detail -> assertThat(detail).startsWith(FIXTURE + "."));
  }

  @Test
  void theRuleFailsTheBuildWithTheTypeNamed() {
    assertThatThrownBy(() -> publicTypesAreDocumented(FIXTURE_DOCS, List.of(FIXTURE)).check(fixture()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(Hidden.class.getName() + " is public in a user package");
  }

  private static JavaClasses fixture() {
    return new ClassFileImporter().importPackages(FIXTURE);
  }
}
