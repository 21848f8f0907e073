package consumer;

import static dev.traceunit.assertions.TraceAssertions.assertThat;

import dev.traceunit.core.SpanHandle;
import dev.traceunit.core.SpanKind;
import dev.traceunit.core.Tracing;
import dev.traceunit.core.Spans;
import dev.traceunit.junit.Traced;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fails on purpose with secret attributes; consumers/run.sh checks that no value marked SECRET- is in
 * Surefire's reports, the HTML report or the attached trace files, and that {@code <redacted>} is.
 */
@Traced
class FailingWithSecretsTest {

  @Test
  void logsInWithSecrets(Spans spans) {
    try (SpanHandle login = Tracing.start(SpanKind.SERVER, "login")) {
      login.attribute("password", "SECRET-pass-1");
      login.attribute("Authorization", "Bearer SECRET-auth-2");
      login.attribute("request", Map.of("headers", Map.of("api_key", "SECRET-apikey-3", "accept", "json")));
      login.event("sent", Map.of("client_secret", "SECRET-client-4"));
      login.error(new IllegalStateException("login refused for password SECRET-pass-1"));
    }
    assertThat(spans).hasSpan("login").hasAttribute("password", "SECRET-guess-5");
  }
}
