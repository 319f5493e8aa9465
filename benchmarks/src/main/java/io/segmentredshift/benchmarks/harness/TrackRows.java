package io.segmentredshift.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic rows of a 20-column table shaped like Segment's {@code tracks} table, taken from
 * the testkit's seeded {@link SegmentTraffic} track events, for the load baselines: independent of
 * the library's own layout code, which those baselines are measured against.
 *
 * <p>Columns, in order ({@link #COLUMNS}): five ids and names, six context strings, five {@code
 * timestamptz}, two {@code double precision}, one {@code bigint}, one {@code boolean}; the same
 * shape as the COPY and INSERT baselines measured before. A row is an {@code Object[]} of {@code
 * String}, {@code OffsetDateTime}, {@code Double}, {@code Long} and {@code Boolean}, any of which
 * may be null (a user id of an anonymous visitor, a quantity that drifted to a string).
 */
public final class TrackRows {
  /** The column names, in row order. */
  public static final List<String> COLUMNS =
      List.of(
          "id",
          "anonymous_id",
          "user_id",
          "event",
          "event_text",
          "context_ip",
          "context_library_name",
          "context_library_version",
          "context_page_path",
          "context_page_url",
          "context_user_agent",
          "original_timestamp",
          "sent_at",
          "received_at",
          "timestamp",
          "uuid_ts",
          "revenue",
          "price",
          "quantity",
          "is_member");

  /** The column definitions, in row order, for CREATE TABLE. */
  static final List<String> TYPES =
      List.of(
          "varchar(64)",
          "varchar(64)",
          "varchar(64)",
          "varchar(128)",
          "varchar(128)",
          "varchar(64)",
          "varchar(64)",
          "varchar(32)",
          "varchar(512)",
          "varchar(1024)",
          "varchar(512)",
          "timestamptz",
          "timestamptz",
          "timestamptz",
          "timestamptz",
          "timestamptz",
          "double precision",
          "double precision",
          "bigint",
          "boolean");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SegmentTraffic traffic;

  private TrackRows(long seed) {
    this.traffic = SegmentTraffic.seeded(seed);
  }

  /** Rows that are the same for the same seed. */
  public static TrackRows seeded(long seed) {
    return new TrackRows(seed);
  }

  /** The next row. */
  public Object[] next() {
    JsonNode event;
    try {
      event = JSON.readTree(traffic.next(SegmentTraffic.Kind.TRACK));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode context = event.path("context");
    JsonNode properties = event.path("properties");
    OffsetDateTime received = time(event, "receivedAt");
    return new Object[] {
      text(event, "messageId"),
      text(event, "anonymousId"),
      text(event, "userId"),
      snake(event.path("event").asText()),
      text(event, "event"),
      text(context, "ip"),
      text(context.path("library"), "name"),
      text(context.path("library"), "version"),
      text(context.path("page"), "path"),
      text(context.path("page"), "url"),
      text(context, "userAgent"),
      time(event, "originalTimestamp"),
      time(event, "sentAt"),
      received,
      time(event, "timestamp"),
      received.plusNanos(1_500_000_000L),
      properties.path("revenue").isNumber() ? properties.path("revenue").asDouble() : null,
      firstProperty(properties, 1),
      firstProperty(properties, 0),
      firstProperty(properties, 2)
    };
  }

  /**
   * Writes {@code count} rows as CSV for {@code COPY ... WITH (FORMAT csv)}, one per line, in
   * {@link #COLUMNS} order.
   *
   * @return the number of bytes written
   */
  public long writeCsv(Path file, long count) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count < 0: " + count);
    }
    StringBuilder line = new StringBuilder(1024);
    try (Writer out =
        new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      for (long i = 0; i < count; i++) {
        line.setLength(0);
        appendCsv(line, next());
        out.append(line);
      }
    }
    return Files.size(file);
  }

  /** Appends one row as a CSV line, newline included: null is an empty field, "" is quoted. */
  static void appendCsv(StringBuilder out, Object[] row) {
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      Object value = row[i];
      if (value == null) {
        continue;
      }
      if (value instanceof String s) {
        out.append('"');
        for (int k = 0; k < s.length(); k++) {
          char c = s.charAt(k);
          if (c == '"') {
            out.append('"');
          }
          out.append(c);
        }
        out.append('"');
      } else if (value instanceof OffsetDateTime t) {
        out.append(t);
      } else {
        out.append(value);
      }
    }
    out.append('\n');
  }

  // The first property of the given kind in SegmentTraffic's scheme ("prop<n>" with n % 6 = kind):
  // 0 a whole number (now and then the string "n/a"), 1 a decimal, 2 a boolean.
  private static Object firstProperty(JsonNode properties, int kind) {
    var names = properties.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.startsWith("prop") && Integer.parseInt(name.substring(4)) % 6 == kind) {
        JsonNode value = properties.get(name);
        return switch (kind) {
          case 0 -> value.isNumber() ? (Object) value.asLong() : null;
          case 1 -> value.isNumber() ? (Object) value.asDouble() : null;
          default -> value.isBoolean() ? (Object) value.asBoolean() : null;
        };
      }
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  private static OffsetDateTime time(JsonNode node, String field) {
    return Instant.parse(node.path(field).asText()).atOffset(ZoneOffset.UTC);
  }

  private static String snake(String name) {
    return name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }
}
