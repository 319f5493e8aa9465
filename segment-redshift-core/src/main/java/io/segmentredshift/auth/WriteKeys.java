package io.segmentredshift.auth;

import io.segmentredshift.auth.AuthenticationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The write keys accepted on the Tracking API routes, each naming the source (the target schema)
 * its events belong to. Thread-safe.
 *
 * <p>A client proves its key as Segment's Tracking API expects: HTTP Basic credentials with the
 * write key as user name and an empty password ({@code Authorization: Basic base64(writeKey +
 * ":")}), or {@code writeKey} in the JSON body. When both are present the header decides. A {@code
 * Bearer} header (Segment's OAuth option) carries no write key, so the body's is used.
 *
 * <p>Keys are compared in constant time: the candidate's SHA-256 is compared with every configured
 * key's SHA-256 by {@link MessageDigest#isEqual(byte[], byte[])}, without stopping at a match. Keys
 * never appear in exceptions or in {@link #toString()}.
 */
public final class WriteKeys {
  private final byte[][] digests;
  private final String[] sources;

  private WriteKeys(byte[][] digests, String[] sources) {
    this.digests = digests;
    this.sources = sources;
  }

  /**
   * The keys of {@code sourceByWriteKey}, each mapped to its source name. Several keys may map to
   * one source. Neither keys nor sources may be empty.
   */
  public static WriteKeys of(Map<String, String> sourceByWriteKey) {
    Objects.requireNonNull(sourceByWriteKey, "sourceByWriteKey == null");
    if (sourceByWriteKey.isEmpty()) {
      throw new IllegalArgumentException("sourceByWriteKey is empty");
    }
    byte[][] digests = new byte[sourceByWriteKey.size()][];
    String[] sources = new String[sourceByWriteKey.size()];
    int i = 0;
    for (Map.Entry<String, String> entry : sourceByWriteKey.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "write key == null");
      String source = Objects.requireNonNull(entry.getValue(), "source == null");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("write key is empty");
      }
      if (source.isEmpty()) {
        throw new IllegalArgumentException("source is empty");
      }
      digests[i] = sha256(key);
      sources[i++] = source;
    }
    return new WriteKeys(digests, sources);
  }

  /** The {@code Authorization} header value that carries {@code writeKey}, as clients send it. */
  public static String basicAuthorization(String writeKey) {
    Objects.requireNonNull(writeKey, "writeKey == null");
    return "Basic "
        + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The source of the write key a request carries.
   *
   * @param authorization the {@code Authorization} header value, or null
   * @param bodyWriteKey the {@code writeKey} of the JSON body, or null
   * @throws AuthenticationException {@code MISSING_WRITE_KEY}, {@code MALFORMED_WRITE_KEY} (an
   *     {@code Authorization} header that is neither Basic nor Bearer, undecodable Basic
   *     credentials, or an empty user name) or {@code UNKNOWN_WRITE_KEY}
   */
  public String authenticate(String authorization, String bodyWriteKey) {
    if (authorization != null && !authorization.isBlank()) {
      String value = authorization.strip();
      int space = value.indexOf(' ');
      String scheme = space < 0 ? value : value.substring(0, space);
      if (scheme.equalsIgnoreCase("Basic")) {
        return lookup(basicUser(space < 0 ? "" : value.substring(space + 1).strip()));
      }
      if (!scheme.equalsIgnoreCase("Bearer")) {
        throw new AuthenticationException(
            Reason.MALFORMED_WRITE_KEY, "the Authorization header is not Basic credentials");
      }
    }
    if (bodyWriteKey == null || bodyWriteKey.isEmpty()) {
      throw new AuthenticationException(
          Reason.MISSING_WRITE_KEY, "no write key in the Authorization header or the body");
    }
    return lookup(bodyWriteKey);
  }

  private static String basicUser(String token) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(
          Reason.MALFORMED_WRITE_KEY, "the Basic credentials are not base64");
    }
    String credentials = new String(decoded, StandardCharsets.UTF_8);
    int colon = credentials.indexOf(':');
    String user = colon < 0 ? credentials : credentials.substring(0, colon);
    if (user.isEmpty()) {
      throw new AuthenticationException(
          Reason.MALFORMED_WRITE_KEY, "the Basic credentials hold no write key");
    }
    return user;
  }

  private String lookup(String key) {
    byte[] digest = sha256(key);
    int found = -1;
    for (int i = 0; i < digests.length; i++) {
      if (MessageDigest.isEqual(digests[i], digest)) {
        found = i;
      }
    }
    if (found < 0) {
      throw new AuthenticationException(Reason.UNKNOWN_WRITE_KEY, "the write key is not known");
    }
    return sources[found];
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The number of keys only. */
  @Override
  public String toString() {
    return "WriteKeys{keys=" + digests.length + "}";
  }
}
