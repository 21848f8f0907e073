package dev.traceunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads OTLP/JSON with the official OpenTelemetry proto classes, strictly: a field OTLP does not
 * know, a value of the wrong type or an id that is not hex of the right length fails. Shared with
 * the example suite through this module's test jar.
 */
public final class StrictOtlp {

  private StrictOtlp() {}

  /**
   * OTLP/JSON writes ids as hex where protobuf's JSON mapping expects base64 (the one deviation
   * the OTLP specification makes), so ids are checked and turned into base64 before JsonFormat
   * reads the rest as it is.
   */
  public static TracesData parse(String json) throws IOException {
    JsonNode tree = new ObjectMapper().readTree(json);
    hexIdsToBase64(tree);
    TracesData.Builder data = TracesData.newBuilder();
    JsonFormat.parser().merge(tree.toString(), data);
    return data.build();
  }

  private static void hexIdsToBase64(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : List.of("traceId", "spanId", "parentSpanId")) {
        JsonNode id = object.get(field);
        if (id != null) {
          assertThat(id.asText()).as(field).matches(field.equals("traceId") ? "[0-9a-f]{32}" : "[0-9a-f]{16}");
          object.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id.asText())));
        }
      }
    }
    node.forEach(StrictOtlp::hexIdsToBase64);
  }
}
