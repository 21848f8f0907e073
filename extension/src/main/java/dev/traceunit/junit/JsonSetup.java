package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;

/**
 * The one Jackson setup of every JSON traceunit writes or reads (trace.json, OTLP, the report's
 * data): streams are flushed, never closed; a write that failed half way is not closed to look
 * whole; surrogates are written as {@code \}{@code u} escapes, so a lone one survives a UTF-8 file.
 */
final class JsonSetup {

  static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
      .characterEscapes(new SurrogateEscapes())
      .build();

  private JsonSetup() {}

  /** A generator of compact JSON; closing it returns its buffers and flushes {@code out}, never closes it. */
  static JsonGenerator generator(Writer out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** The mapper for trees, made on first use: writing (every failing test) never pays for it. */
  static ObjectMapper mapper() {
    return Mapper.INSTANCE;
  }

  private static final class Mapper {
    // The parser does not look for repeated keys (a set of names for every object was a large part
    // of reading a span): the streaming readers check for them, the trees through this feature.
    static final ObjectMapper INSTANCE = new ObjectMapper(FACTORY)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  }

  /** Escapes surrogates, so text with a lone one can be written to a UTF-8 file and read back. */
  private static final class SurrogateEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] asciiEscapes = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (Character.isSurrogate((char) ch)) {
        return new SerializedString(String.format("\\u%04X", ch));
      }
      return null;
    }
  }
}
