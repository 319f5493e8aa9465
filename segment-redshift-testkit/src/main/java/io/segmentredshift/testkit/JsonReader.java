package io.segmentredshift.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the records of a JSON file as Redshift's COPY ... JSON 'auto' does: root-level objects
 * separated only by white space (so NDJSON works), each object one record.
 */
final class JsonReader {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One record.
   *
   * @param lastLine the physical line the object ends on (1-based; Redshift reports this line)
   * @param raw the object's bytes
   * @param error why the record is malformed, or null
   * @param nulAt the offset in {@code raw} of the first NUL byte, or -1
   */
  record JsonRecord(long lastLine, byte[] raw, String error, int nulAt) {}

  /** A JSON record that is not a well-formed object. */
  static final class MalformedJson extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJson(String message) {
      super(message, null, false, false);
    }
  }

  private final InputStream in;
  private long line = 1;

  JsonReader(InputStream in) {
    this.in = in;
  }

  /** The next record, or null at the end of the file. */
  JsonRecord next() throws IOException {
    int c = read();
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      c = read();
    }
    if (c < 0) {
      return null;
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    int nulAt = -1;
    if (c != '{') {
      // Not an object: the rest of the line is one bad record.
      long at = line;
      while (c >= 0 && c != '\n') {
        nulAt = nulAt < 0 && c == 0 ? raw.size() : nulAt;
        raw.write(c);
        c = read();
      }
      return new JsonRecord(at, raw.toByteArray(), "Invalid JSON: expected an object", nulAt);
    }
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    while (c >= 0) {
      nulAt = nulAt < 0 && c == 0 ? raw.size() : nulAt;
      raw.write(c);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return new JsonRecord(line, raw.toByteArray(), null, nulAt);
        }
      }
      c = read();
    }
    return new JsonRecord(line, raw.toByteArray(), "Invalid JSON: unterminated object", nulAt);
  }

  private int read() throws IOException {
    int c = in.read();
    if (c == '\n') {
      line++;
    }
    return c;
  }

  /**
   * The top-level keys of one object and their values as load text: strings unescaped, numbers as
   * written, {@code true}/{@code false}, nested objects and arrays as their JSON text, null for
   * JSON null. With {@code ignoreCase} the keys are lower-cased. A repeated key keeps its last
   * value.
   */
  static Map<String, String> fields(String object, boolean ignoreCase) throws MalformedJson {
    byte[] bytes = object.getBytes(StandardCharsets.UTF_8);
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedJson("Invalid JSON: expected an object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        String text;
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          int start = (int) parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          int end = (int) parser.currentLocation().getByteOffset();
          text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        } else if (value == JsonToken.VALUE_NULL) {
          text = null;
        } else {
          text = parser.getText();
        }
        fields.put(ignoreCase ? name.toLowerCase(Locale.ROOT) : name, text);
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new MalformedJson("Invalid JSON: expected one object");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedJson("Invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedJson("Invalid JSON: " + e.getMessage());
    }
    return fields;
  }
}
