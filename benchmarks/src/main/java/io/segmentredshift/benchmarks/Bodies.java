package io.segmentredshift.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Request bodies for the load generator, one per line, from the seeded generator's realistic mix:
 * single messages (Segment's webhooks) or {@code {"batch":[...]}} bodies (the Tracking API).
 */
final class Bodies {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] BATCH_START = "{\"batch\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BATCH_END = "]}\n".getBytes(StandardCharsets.US_ASCII);

  private Bodies() {}

  /** Writes {@code count} single messages; returns the bytes written. */
  static long singles(Path file, long seed, int count) throws IOException {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int i = 0; i < count; i++) {
        out.write(traffic.next());
        out.write('\n');
      }
    }
    return Files.size(file);
  }

  /**
   * Writes {@code batches} bodies of {@code perBatch} messages each; returns, per call table, the
   * distinct messageIds sent, when {@code countIds} is set (else an empty map).
   */
  static Map<String, Long> batches(
      Path file, long seed, int batches, int perBatch, boolean countIds) throws IOException {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    Map<String, Set<String>> ids = new HashMap<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int b = 0; b < batches; b++) {
        out.write(BATCH_START);
        for (int i = 0; i < perBatch; i++) {
          if (i > 0) {
            out.write(',');
          }
          byte[] message = traffic.next();
          out.write(message);
          if (countIds) {
            note(message, ids);
          }
        }
        out.write(BATCH_END);
      }
    }
    Map<String, Long> counts = new HashMap<>();
    ids.forEach((table, set) -> counts.put(table, (long) set.size()));
    return counts;
  }

  /** Notes {@code message}'s messageId under its call table. */
  static void note(byte[] message, Map<String, Set<String>> ids) throws IOException {
    String type = null;
    String id = null;
    try (JsonParser p = JSON.createParser(message)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME && (type == null || id == null)) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = p.getText();
        } else if (field.equals("messageId")) {
          id = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }
    ids.computeIfAbsent(tableOf(type), k -> new HashSet<>()).add(id);
  }

  /** The call table of a message type. */
  static String tableOf(String type) {
    return switch (type) {
      case "identify" -> "identifies";
      case "alias" -> "aliases";
      default -> type + "s";
    };
  }
}
