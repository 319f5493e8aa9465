package io.segmentredshift.schema;

/**
 * One value of a row as the layout produced it, before the name map and the column types.
 *
 * @param path where the value comes from in the event, a JSON Pointer ({@code /properties/total},
 *     {@code /context/library/name}, {@code /messageId})
 * @param name the column it asks for: the final name for a standard column, else the sanitized
 *     name, which the name map may still change to resolve a collision
 * @param value a scalar JSON value (String, Boolean, Long, BigInteger, Double, BigDecimal), an
 *     {@link java.time.Instant} for a standard timestamp, or the JSON text of an array
 * @param standard true for a standard column
 * @param exact true when the joined source keys already equal {@code name} (such a field wins a
 *     collision: {@code user_name} keeps {@code user_name} over {@code userName})
 */
public record Field(String path, String name, Object value, boolean standard, boolean exact) {}
