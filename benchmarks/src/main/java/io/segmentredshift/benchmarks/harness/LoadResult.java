package io.segmentredshift.benchmarks.harness;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@link LoadGenerator} run measured, as the one-line JSON object it prints last.
 *
 * @param requests responses received in the measured window (2xx and non-2xx)
 * @param seconds the length of the measured window
 * @param requestsPerSecond {@code requests / seconds}
 * @param non2xx responses whose status was not 2xx
 * @param errors socket errors: refused or reset connections, truncated responses, timeouts
 * @param p50Ms median latency in milliseconds (request written to response read)
 * @param p90Ms 90th percentile latency in milliseconds
 * @param p99Ms 99th percentile latency in milliseconds
 * @param maxMs the largest latency in milliseconds
 * @param connections the number of keep-alive connections
 * @param cpuSeconds CPU time (user + system) the load generator process used in the window
 */
public record LoadResult(
    long requests,
    double seconds,
    double requestsPerSecond,
    long non2xx,
    long errors,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double maxMs,
    int connections,
    double cpuSeconds) {

  /** The result as a one-line JSON object with a field per component. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"requests\":%d,\"seconds\":%.3f,\"requestsPerSecond\":%.1f,\"non2xx\":%d,\"errors\":%d,"
            + "\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"connections\":%d,"
            + "\"cpuSeconds\":%.3f}",
        requests,
        seconds,
        requestsPerSecond,
        non2xx,
        errors,
        p50Ms,
        p90Ms,
        p99Ms,
        maxMs,
        connections,
        cpuSeconds);
  }

  /**
   * Reads the JSON object {@link #toJson()} writes. Fields may come in any order, with white space
   * between tokens; unknown numeric fields are ignored, so older readers accept newer writers.
   *
   * @throws IllegalArgumentException if the text is not a flat JSON object of numbers or a field is
   *     missing
   */
  public static LoadResult parse(String json) {
    Map<String, Double> fields = flatNumbers(json);
    return new LoadResult(
        (long) required(fields, "requests"),
        required(fields, "seconds"),
        required(fields, "requestsPerSecond"),
        (long) required(fields, "non2xx"),
        (long) required(fields, "errors"),
        required(fields, "p50Ms"),
        required(fields, "p90Ms"),
        required(fields, "p99Ms"),
        required(fields, "maxMs"),
        (int) required(fields, "connections"),
        required(fields, "cpuSeconds"));
  }

  private static double required(Map<String, Double> fields, String name) {
    Double value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("load result without \"" + name + "\"");
    }
    return value;
  }

  // A flat object of string keys and number values is all the generator writes; a full JSON parser
  // would add a dependency to a process whose classpath is kept to this module's classes.
  static Map<String, Double> flatNumbers(String json) {
    if (json == null) {
      throw new NullPointerException("json == null");
    }
    Map<String, Double> fields = new LinkedHashMap<>();
    Cursor c = new Cursor(json);
    c.skipSpace();
    c.expect('{');
    c.skipSpace();
    if (c.peek() == '}') {
      c.pos++;
    } else {
      while (true) {
        c.skipSpace();
        String key = c.string();
        c.skipSpace();
        c.expect(':');
        c.skipSpace();
        fields.put(key, c.number());
        c.skipSpace();
        if (c.peek() == ',') {
          c.pos++;
        } else {
          c.expect('}');
          break;
        }
      }
    }
    c.skipSpace();
    if (c.pos != json.length()) {
      throw c.error("text after the object");
    }
    return fields;
  }

  private static final class Cursor {
    private final String text;
    private int pos;

    Cursor(String text) {
      this.text = text;
    }

    char peek() {
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      return text.charAt(pos);
    }

    void expect(char ch) {
      if (peek() != ch) {
        throw error("expected '" + ch + "'");
      }
      pos++;
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    String string() {
      expect('"');
      int start = pos;
      while (peek() != '"') {
        if (peek() == '\\') {
          throw error("escapes are not supported in keys");
        }
        pos++;
      }
      return text.substring(start, pos++);
    }

    double number() {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      try {
        return Double.parseDouble(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("expected a number");
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("not a load result at offset " + pos + ": " + what);
    }
  }
}
