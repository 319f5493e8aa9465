package io.segmentredshift.webhook;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An HTTP request as a transport adapter hands it to {@link WebhookHandler#handle}.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the path relative to where the handler is mounted, without the query string, e.g.
 *     {@code /v1/batch}; an empty path is the mount point itself ({@code /})
 * @param headers the value of a header by name, matched ignoring case, or null when absent (the
 *     first value when a header is repeated)
 * @param body the request body as received (still compressed if {@code Content-Encoding} says so);
 *     the handler reads it on the calling thread, at most {@link WebhookHandler#maxBodyBytes()} + 1
 *     bytes, and does not close it. Give an in-memory stream on threads that must not block.
 */
public record WebhookRequest(
    String method, String path, Function<String, String> headers, InputStream body) {
  /** Checks that no component is null. */
  public WebhookRequest {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
  }

  /**
   * A request with these headers (names matched ignoring case) and an in-memory body; for tests and
   * for transports that have the whole body already.
   */
  public static WebhookRequest of(
      String method, String path, Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, value) ->
            copy.put(
                Objects.requireNonNull(name, "header name == null"),
                Objects.requireNonNull(value, "header value == null")));
    return new WebhookRequest(method, path, copy::get, new ByteArrayInputStream(body));
  }

  /** The value of header {@code name} (any case), or null when absent. */
  public String header(String name) {
    return headers.apply(Objects.requireNonNull(name, "name == null"));
  }

  /** The method and path only: headers and body may hold secrets. */
  @Override
  public String toString() {
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }
}
