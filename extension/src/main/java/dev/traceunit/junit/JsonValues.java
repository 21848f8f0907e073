package dev.traceunit.junit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.traceunit.core.internal.Values;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a trace in JSON, and their escapes: the one encoder ({@link #writeValue}, {@link
 * #writeMap}) and decoder ({@link #readValue}, {@link #readMap}, {@link #fromText}) of trace.json and
 * the report's data, which the page's {@code decoded} function mirrors. Values are plain JSON; NaN
 * and the infinities are the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; a
 * string that spells one of those is {@code {"$string":"NaN"}}; a map whose only key is an escape is
 * {@code {"$map":{…}}}; a map with a key holding a lone surrogate (which Jackson reads in no key) is
 * its entries in order, {@code {"$entries":[[key, value], …]}}.
 */
final class JsonValues {

  private static final String STRING_ESCAPE = "$string";
  private static final String MAP_ESCAPE = "$map";
  private static final String ENTRIES_ESCAPE = "$entries";
  private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity");

  private JsonValues() {}

  /** Whether an object's first key says it is an escape, to be read by {@link #readValue} or {@link #readMap}. */
  static boolean isEscape(String key) {
    return key.equals(STRING_ESCAPE) || key.equals(MAP_ESCAPE) || key.equals(ENTRIES_ESCAPE);
  }

  /** The value a JSON string stands for: the number for NaN and the infinities, else the text. */
  static Object fromText(String text) {
    return NON_FINITE.contains(text) ? Double.valueOf(text) : text;
  }

  /** Writes a map of values, escaped where reading it back would otherwise differ. */
  static void writeMap(JsonGenerator json, Map<String, ?> map) throws IOException {
    json.writeStartObject();
    if (hasKeyWithLoneSurrogate(map)) {
      json.writeArrayFieldStart(ENTRIES_ESCAPE);
      for (Map.Entry<String, ?> entry : map.entrySet()) {
        json.writeStartArray();
        json.writeString(entry.getKey());
        writeValue(json, entry.getValue());
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndObject();
      return;
    }
    boolean escape = map.size() == 1
        && (map.containsKey(STRING_ESCAPE) || map.containsKey(MAP_ESCAPE) || map.containsKey(ENTRIES_ESCAPE));
    if (escape) {
      json.writeFieldName(MAP_ESCAPE);
      json.writeStartObject();
    }
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      json.writeFieldName(entry.getKey());
      writeValue(json, entry.getValue());
    }
    if (escape) {
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static boolean hasKeyWithLoneSurrogate(Map<String, ?> map) {
    for (String key : map.keySet()) {
      if (hasLoneSurrogate(key)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code text} holds a surrogate that is not half of a pair, which Jackson reads in no key. */
  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes a value of a trace; one of a type a trace does not hold (an attribute of a link made by
   * {@code withAttributes} and never added to a span) as the collector would have stored it.
   */
  static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String) {
      String text = (String) value;
      if (NON_FINITE.contains(text)) {
        json.writeStartObject();
        json.writeStringField(STRING_ESCAPE, text);
        json.writeEndObject();
      } else {
        json.writeString(text);
      }
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isFinite(number)) {
        json.writeNumber(number);
      } else {
        json.writeString(Double.toString(number));
      }
    } else if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = (Map<String, ?>) value;
      writeMap(json, map);
    } else if (value instanceof List) {
      json.writeStartArray();
      for (Object item : (List<?>) value) {
        writeValue(json, item);
      }
      json.writeEndArray();
    } else {
      writeValue(json, Values.normalize(value)); // a string, a list or a map: written above
    }
  }

  /** Reads a map written by {@link #writeMap}, found at {@code where}. */
  static Map<String, Object> readMap(JsonNode node, String where) throws IOException {
    if (node.isEmpty()) {
      return Map.of();
    }
    if (node.size() == 1 && node.has(ENTRIES_ESCAPE)) {
      return readEntries(node.get(ENTRIES_ESCAPE), where + "." + ENTRIES_ESCAPE);
    }
    if (node.size() == 1 && node.has(MAP_ESCAPE)) {
      JsonNode escaped = node.get(MAP_ESCAPE);
      if (!escaped.isObject()) {
        throw new IOException(where + "." + MAP_ESCAPE + " must be an object but was " + escaped);
      }
      node = escaped;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      map.put(entry.getKey(), readValue(entry.getValue(), where, entry.getKey()));
    }
    return map;
  }

  private static Map<String, Object> readEntries(JsonNode entries, String where) throws IOException {
    if (!entries.isArray()) {
      throw new IOException(where + " must be an array of [key, value] pairs but was " + entries);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode entry : entries) {
      String at = where + "[" + i++ + "]";
      if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual()) {
        throw new IOException(at + " must be a [key, value] pair with a string key but was " + entry);
      }
      String key = entry.get(0).textValue();
      if (map.containsKey(key)) {
        throw new IOException(at + " repeats the key '" + key + "'");
      }
      map.put(key, readValue(entry.get(1), at, null));
    }
    return map;
  }

  /**
   * The value of {@code node}, found at {@code where}, under {@code key} if not null (a map's entry);
   * the path is built only for an error or a container.
   */
  static Object readValue(JsonNode node, String where, String key) throws IOException {
    JsonNodeType type = node.getNodeType();
    switch (type) {
      case NULL:
        return null;
      case BOOLEAN:
        return node.booleanValue();
      case STRING: {
        return fromText(node.textValue());
      }
      case NUMBER:
        if (node.isIntegralNumber()) {
          if (!node.canConvertToLong()) {
            throw new IOException(at(where, key) + " must fit a long but was " + node);
          }
          return node.longValue();
        }
        return node.doubleValue();
      case ARRAY: {
        String at = at(where, key);
        List<Object> items = new ArrayList<>(node.size());
        int i = 0;
        for (JsonNode item : node) {
          items.add(readValue(item, at + "[" + i++ + "]", null));
        }
        return items;
      }
      case OBJECT:
        if (node.size() == 1 && node.has(STRING_ESCAPE)) {
          JsonNode escaped = node.get(STRING_ESCAPE);
          if (!escaped.isTextual()) {
            throw new IOException(at(where, key) + "." + STRING_ESCAPE + " must be a string but was " + escaped);
          }
          return escaped.textValue();
        }
        return readMap(node, at(where, key));
      default:
        throw new IOException(at(where, key) + " must be a string, number, boolean, null, array or object but was "
            + node);
    }
  }

  private static String at(String where, String key) {
    return key == null ? where : where + "." + key;
  }
}
