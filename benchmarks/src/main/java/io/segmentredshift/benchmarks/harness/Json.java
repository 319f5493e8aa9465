package io.segmentredshift.benchmarks.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flat JSON objects of figures, the form in which child JVMs hand their results to the parent (one
 * line each, see {@link ChildJvm}).
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The object as one line of JSON. */
  public static String write(Map<String, ?> figures) {
    try {
      return MAPPER.writeValueAsString(figures);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON object; the map keeps the fields' order. */
  public static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** The number in field {@code name}, NaN when absent or null. */
  public static double number(Map<String, Object> figures, String name) {
    Object value = figures.get(name);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** The text in field {@code name}, null when absent. */
  public static String text(Map<String, Object> figures, String name) {
    Object value = figures.get(name);
    return value == null ? null : value.toString();
  }
}
