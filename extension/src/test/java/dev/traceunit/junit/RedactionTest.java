package dev.traceunit.junit;

import static dev.traceunit.assertions.TraceAssertions.assertThat;
import static dev.traceunit.junit.TraceExtensionTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.traceunit.core.RecordedSpan;
import dev.traceunit.core.Redaction;
import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.Spans;
import dev.traceunit.core.Trace;
import dev.traceunit.core.Tracing;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

class RedactionTest {

  @TempDir
  Path reports;

  @Traced(dump = "always")
  static class LoginSample {
    @Test
    void logsIn(Spans spans) {
      login();
      // Assertions read the live trace: the real values.
      assertThat(spans).hasSpan("login").hasAttribute("password", "hunter2");
      throw new AssertionError("login should have failed");
    }

    static void login() {
      try (SpanHandle login = Tracing.start("login")) {
        login.attribute("user", "ada");
        login.attribute("password", "hunter2");
        login.attribute("http.request.header.Authorization", "Bearer abc.def");
        login.attribute("X-API-Key", "k-123");
        login.attribute("session", Map.of("cookie", "sid=42", "access_token", "tok-9", "tokens", 7L));
        login.attribute("llm.output_tokens", 120L);
        login.event("sent", Map.of("client_secret", "s3cr3t", "size", 3L));
      }
    }
  }

  @Traced
  static class AssertingSample {
    @Test
    void checksThePassword(Spans spans) {
      LoginSample.login();
      assertThat(spans).hasSpan("login").hasAttribute("password", "guess");
    }

    @Test
    void checksTheUser(Spans spans) {
      LoginSample.login();
      assertThat(spans).hasSpan("login").hasAttribute("user", "bob");
    }

    @Test
    @Traced(redact = "^user$")
    void checksTheUserUnderACustomRule(Spans spans) {
      LoginSample.login();
      assertThat(spans).hasSpan("login").hasAttribute("user", "bob");
    }
  }

  /** Every text the failure carries: its message, its suppressed dumps, and the actual/expected an IDE diffs. */
  private static String everything(Throwable failure) {
    StringBuilder out = new StringBuilder(String.valueOf(failure.getMessage()));
    if (failure instanceof org.opentest4j.AssertionFailedError) {
      org.opentest4j.AssertionFailedError diff = (org.opentest4j.AssertionFailedError) failure;
      out.append(diff.getActual() == null ? "" : diff.getActual().getStringRepresentation())
          .append(diff.getExpected() == null ? "" : diff.getExpected().getStringRepresentation());
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      out.append(suppressed.getMessage());
    }
    return out.toString();
  }

  @Test
  void assertionFailureMessagesMaskSecretsByTheTestsRule() {
    Kit.Run run = Kit.run(reports, AssertingSample.class);

    String password = everything(run.failure("checksThePassword"));
    assertThat(password).contains("to have attribute \"password\" equal to \"<redacted>\"")
        .contains("it was \"<redacted>\"").contains("password=<redacted>").doesNotContain("guess");
    String user = everything(run.failure("checksTheUser"));
    assertThat(user).contains("it was \"ada\"");
    String custom = everything(run.failure("checksTheUserUnderACustomRule"));
    assertThat(custom).contains("user=<redacted>").doesNotContain("ada").doesNotContain("bob");
    for (String text : List.of(password, user)) {
      SECRETS.forEach(secret -> assertThat(text).doesNotContain(secret));
    }
  }

  private static final List<String> SECRETS = List.of("hunter2", "Bearer abc.def", "k-123", "sid=42", "tok-9", "s3cr3t");

  private static void assertMasked(Trace trace) {
    RecordedSpan login = trace.named("login").get(0);
    assertThat(login.attributes()).containsEntry("user", "ada").containsEntry("password", Redaction.MASK)
        .containsEntry("http.request.header.Authorization", Redaction.MASK).containsEntry("X-API-Key", Redaction.MASK)
        .containsEntry("session", Map.of("cookie", Redaction.MASK, "access_token", Redaction.MASK, "tokens", 7L))
        .containsEntry("llm.output_tokens", 120L);
    assertThat(login.events().get(0).attributes()).containsEntry("client_secret", Redaction.MASK).containsEntry("size", 3L);
  }

  @Test
  void theTextDumpReportEntryAndSuppressedDumpMaskSecretsButTheTestSawTheRealValues() throws IOException {
    Kit.Run run = Kit.run(reports, LoginSample.class);

    Throwable failure = run.failure("logsIn");
    assertThat(failure).hasMessage("login should have failed");
    TraceDump dump = (TraceDump) failure.getSuppressed()[0];
    assertMasked(dump.trace());
    String text = Files.readString(run.file("logsIn", "trace.txt").orElseThrow().getPath());
    for (String shown : List.of(dump.getMessage(), text, run.reportEntries("logsIn", "traceunit.trace").get(0))) {
      assertThat(shown).contains("password=<redacted>").contains("user=ada");
      SECRETS.forEach(secret -> assertThat(shown).doesNotContain(secret));
    }
  }

  @Test
  void theJsonDumpMasksSecrets() throws IOException {
    Kit.Run run = Kit.run(reports, LoginSample.class);

    Path json = run.file("logsIn", "trace.json").orElseThrow().getPath();
    String content = Files.readString(json);
    SECRETS.forEach(secret -> assertThat(content).doesNotContain(secret));
    try (Reader in = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
      assertMasked(TraceJson.read(in));
    }
  }

  @Test
  void everyFileTheDumpPublishesMasksSecrets() throws IOException {
    Kit.Run run = Kit.run(reports, config("traceunit.dump.formats", DumpFormat.allowedNames()), LoginSample.class);

    assertThat(run.files("logsIn")).hasSize(DumpFormat.values().length);
    for (var file : run.files("logsIn")) {
      String content = new String(Files.readAllBytes(file.getPath()), StandardCharsets.UTF_8);
      SECRETS.forEach(secret -> assertThat(content).as(file.getPath().getFileName().toString()).doesNotContain(secret));
    }
  }

  @Test
  void theHtmlReportMasksSecrets() throws IOException {
    ReportRun.run(reports.resolve("html"), Map.of(), LoginSample.class);

    StringBuilder everything = new StringBuilder(); // the page and every data file beside it
    try (var files = Files.walk(reports.resolve("html"))) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        everything.append(Files.readString(file));
      }
    }
    assertThat(everything).contains("login").contains("redacted");
    SECRETS.forEach(secret -> assertThat(everything).doesNotContain(secret));
  }

  @Test
  void redactNoneShowsTheRealValues() {
    Kit.Run run = Kit.run(reports, config("traceunit.redact", "none"), LoginSample.class);

    assertThat(run.failure("logsIn").getSuppressed()[0].getMessage()).contains("password=hunter2");
  }

  @Test
  void customPatternsReplaceTheDefaults() {
    Kit.Run run = Kit.run(reports, config("traceunit.redact", "^user$, pass"), LoginSample.class);

    String tree = run.failure("logsIn").getSuppressed()[0].getMessage();
    assertThat(tree).contains("user=<redacted>", "password=<redacted>", "X-API-Key=k-123");
  }

  @Test
  void anInvalidPatternFailsNamingTheKeyAndWhatIsAllowedWithoutShowingThePatterns() {
    // A value typed into the key list by mistake (here an API token with a bracket) must not be printed.
    Kit.Run run = Kit.run(reports, config("traceunit.redact", "password, sk_live_51Hx(Q"), LoginSample.class);

    Throwable failure = run.failure("logsIn");
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasNoCause().hasMessage(
        "traceunit.redact is a value not shown here (it may hold a secret) that holds a pattern that is not a regular"
            + " expression (Unclosed group near index 14), but must be none (no masking) or a comma-separated list of"
            + " at least one regular expression matched against attribute keys");
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(Kit.run(reports, config("traceunit.redact", "pass, ,word"), LoginSample.class).failure("logsIn"))
        .hasMessageStartingWith("traceunit.redact is a value not shown here (it may hold a secret) that holds an empty"
            + " pattern, but must be none");
  }

  @Test
  void theBuilderRejectsAnInvalidPatternWithoutShowingThePatterns() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceExtension.builder().redact("ok", "hunter2["))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .hasMessageStartingWith("TraceExtension.builder().redact(…) is a value not shown here (it may hold a secret)"
            + " that holds a pattern that is not a regular expression (Unclosed character class near index 7), but"
            + " must be none (no masking) or a comma-separated list")
        .message().doesNotContain("hunter2");
  }

  @Test
  void aConfigurationIsCompiledOnceAndAnInvalidOneFailsEveryTime() {
    assertThat(Redaction.parse("^user$, pass")).isSameAs(Redaction.parse("^user$, pass"));
    assertThat(Redaction.parse(Redaction.DEFAULT_PATTERNS)).isSameAs(Redaction.defaults());
    for (int attempt = 0; attempt < 2; attempt++) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Redaction.parse("pass(word"))
          .isInstanceOf(IllegalArgumentException.class).hasCauseInstanceOf(java.util.regex.PatternSyntaxException.class);
    }
  }

  @Test
  void aTraceWithNothingSecretIsReturnedAsItIs() {
    Trace trace = Trace.of("t", List.of(), List.of(), 0);
    assertThat((Object) Redaction.defaults().apply(trace)).isSameAs(trace);
    assertThat(Redaction.defaults().masks("API_KEY")).isTrue();
    assertThat(Redaction.defaults().masks("apikey")).isTrue();
    assertThat(Redaction.defaults().masks("first_token_ms")).isFalse();
    assertThat(Redaction.defaults().masks("refreshToken")).isTrue();
  }
}
