package io.segmentredshift.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON values held as plain Java objects.
 *
 * <p>The value model used everywhere in this library: JSON {@code null} is {@code null}; a string
 * is a {@link String}; {@code true}/{@code false} a {@link Boolean}; an integer that fits a long a
 * {@link Long}, a larger one a {@link BigInteger}; a number with a fraction or exponent a {@link
 * Double} when it is finite as a double, else a {@link BigDecimal}; an array an unmodifiable {@link
 * List}; an object an unmodifiable {@link Map} with String keys in input order (a key may map to
 * {@code null}). {@link Integer}, {@link Short} and {@link Byte} are accepted and become {@link
 * Long}; {@link Float} becomes {@link Double}.
 */
final class JsonValues {
  private JsonValues() {}

  /** A deep immutable copy of a JSON object; {@code null} stays {@code null}. */
  static Map<String, Object> copyObject(Map<String, ?> object, String path) {
    if (object == null) {
      return null;
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, object.size() * 2));
    for (Map.Entry<String, ?> entry : object.entrySet()) {
      String key = entry.getKey();
      if (key == null) {
        throw new IllegalArgumentException(path + " has a null key");
      }
      copy.put(key, copy(entry.getValue(), path + "." + key));
    }
    return Collections.unmodifiableMap(copy);
  }

  /** A deep immutable copy of one JSON value, normalised to the value model above. */
  static Object copy(Object value, String path) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException(path + " is not a finite number");
      }
      return d;
    }
    if (value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return copy(f.doubleValue(), path);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a key that is not a String");
        }
        copy.put(key, copy(entry.getValue(), path + "." + key));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path + " has a value of type " + value.getClass().getName() + ", which is not JSON");
  }
}
