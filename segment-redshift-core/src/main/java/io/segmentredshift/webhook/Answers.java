package io.segmentredshift.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the JSON answers of the handler: {@code {"error": code, "message": text, ...}}. */
final class Answers {
  static final String JSON = "application/json";

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes fields into the answer's top-level object. */
  @FunctionalInterface
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private Answers() {}

  static WebhookResponse json(int status, Map<String, String> extraHeaders, Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    headers.putAll(extraHeaders);
    return new WebhookResponse(status, headers, out.toByteArray());
  }

  static WebhookResponse error(int status, String code, String message) {
    return error(status, code, message, Map.of());
  }

  static WebhookResponse error(
      int status, String code, String message, Map<String, String> extraHeaders) {
    return json(
        status,
        extraHeaders,
        g -> {
          g.writeStringField("error", code);
          g.writeStringField("message", message);
        });
  }

  /** 503 with {@code Retry-After} in whole seconds (at least 1). */
  static WebhookResponse unavailable(String code, String message, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return error(503, code, message, Map.of("Retry-After", Long.toString(seconds)));
  }
}
