package io.segmentredshift.auth;

import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Produces {@code X-Signature} values as Segment does, for testing your own endpoint or sending
 * signed events to one. Thread-safe.
 *
 * <pre>{@code
 * Signer signer = Signer.of(secret);
 * request.header(SignatureVerifier.HEADER, signer.sign(body));
 * }</pre>
 */
public final class Signer {
  private final SecretKeySpec key;

  private Signer(SecretKeySpec key) {
    this.key = key;
  }

  /** A signer with this shared secret (not empty). */
  public static Signer of(String secret) {
    return new Signer(Hmac.key(secret, "secret"));
  }

  /** The lowercase hex HMAC-SHA1 of {@code body}: Segment's signature of a single event. */
  public String sign(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    return Hmac.hex(Hmac.sha1(key, body, 0, body.length));
  }

  /**
   * The signature Segment puts on a batch: the HMAC of element 0's bytes as they stand in {@code
   * arrayBody}.
   *
   * @throws IllegalArgumentException when {@code arrayBody} is not a JSON array whose first element
   *     is an object or an array
   */
  public String signFirstElement(byte[] arrayBody) {
    Objects.requireNonNull(arrayBody, "arrayBody == null");
    int[] first = FirstElement.range(arrayBody);
    if (first == null) {
      throw new IllegalArgumentException(
          "arrayBody is not a JSON array whose first element is an object or an array");
    }
    return Hmac.hex(Hmac.sha1(key, arrayBody, first[0], first[1] - first[0]));
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "Signer";
  }
}
