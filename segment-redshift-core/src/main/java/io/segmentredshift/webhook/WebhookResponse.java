package io.segmentredshift.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer a transport adapter writes back: a status, headers and a body (JSON for every answer
 * of the handler, named by a {@code Content-Type} header).
 *
 * @param status the HTTP status code
 * @param headers header names and values to send, e.g. {@code Content-Type}, {@code Retry-After},
 *     {@code Allow}; unmodifiable, in a stable order
 * @param body the body bytes; do not modify the array
 */
public record WebhookResponse(int status, Map<String, String> headers, byte[] body) {
  /** Copies the headers; checks the status. */
  public WebhookResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    headers =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(headers, "headers == null")));
    Objects.requireNonNull(body, "body == null");
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The value of header {@code name} (exact case, as the handler writes it), or null. */
  public String header(String name) {
    return headers.get(name);
  }

  @Override
  public String toString() {
    return "WebhookResponse{status=" + status + ", " + bodyText() + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookResponse other
        && status == other.status
        && headers.equals(other.headers)
        && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
  }
}
