package io.segmentredshift.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Finds the bytes of element 0 of a JSON array body exactly as they were sent, from the streaming
 * parser's byte offsets: Segment signs {@code JSON.stringify(body[0])} of a batch, and a
 * re-serialization could differ from those bytes in key order, spacing, escapes or numbers.
 */
final class FirstElement {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private FirstElement() {}

  /** True when the first non-whitespace byte is {@code [}. */
  static boolean isArray(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '[';
      }
    }
    return false;
  }

  /**
   * {@code {start, end}} of element 0 when the body is a JSON array whose first element is an
   * object or an array that reads to its end; null otherwise.
   */
  static int[] range(byte[] body) {
    if (!isArray(body)) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
        return null;
      }
      long start = p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      long end = p.currentTokenLocation().getByteOffset() + 1;
      return new int[] {(int) start, (int) end};
    } catch (IOException malformed) {
      return null;
    }
  }
}
