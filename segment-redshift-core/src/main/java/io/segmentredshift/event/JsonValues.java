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
 * Double} when the double holds exactly the decimal value, else a {@link BigDecimal} (see {@link
 * Numbers}); an array an unmodifiable {@link List}; an object an unmodifiable {@link Map} with
 * String keys in input order (a key may map to {@code null}). {@link Integer}, {@link Short} and
 * {@link Byte} are accepted and become {@link Long}; {@link Float} becomes {@link Double}.
 *
 * <p>Copies normalise numbers the way the parser reads them, without losing value: a {@link
 * BigInteger} that fits a long becomes a {@link Long}, a {@link BigDecimal} that a double holds
 * exactly becomes a {@link Double} (its scale is not kept: {@code 1.50} becomes {@code 1.5}). So
 * every event that can be built also reads back equal from its JSON.
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
      checkKey(key, path);
      copy.put(key, copy(entry.getValue(), path + "." + key));
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * JSON can carry an unpaired surrogate in a string value (as an escape) but JSON parsers refuse
   * one in a field name, so such a key could be written but never read back.
   */
  private static void checkKey(String key, String path) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < key.length()
            && Character.isLowSurrogate(key.charAt(i + 1))) {
          i++;
        } else {
          throw new IllegalArgumentException(path + " has a key with an unpaired surrogate");
        }
      }
    }
  }

  /** A deep immutable copy of one JSON value, normalised to the value model above. */
  static Object copy(Object value, String path) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long) {
      return value;
    }
    if (value instanceof BigInteger i) {
      return Numbers.integer(i);
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException(path + " is not a finite number");
      }
      return d;
    }
    if (value instanceof BigDecimal d) {
      if (Math.abs((long) d.scale()) > Numbers.MAX_SCALE) {
        throw new IllegalArgumentException(path + " has an exponent out of range");
      }
      return Numbers.decimal(d);
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
        checkKey(key, path);
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
