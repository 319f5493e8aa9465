package io.segmentredshift.auth;

import io.segmentredshift.auth.AuthenticationException.Reason;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Segment's {@code X-Signature} header: the lowercase hex HMAC-SHA1 of the request body,
 * keyed with the destination's shared secret. Thread-safe.
 *
 * <p>Verification is over the raw bytes as received, never over re-serialized JSON. For a JSON
 * array body (Webhooks (Actions) with batching) Segment signs only element 0, so the signature is
 * accepted when it matches either the whole body or the exact bytes of element 0. Note what that
 * means: in a batch, only the first event is authenticated by the signature; Segment offers nothing
 * that covers the others.
 *
 * <p>Several secrets may be given, to rotate one without downtime: a signature made with any of
 * them is accepted. Every secret is tried and digests are compared with {@link
 * MessageDigest#isEqual(byte[], byte[])}, so the time taken does not tell how close a guess was.
 * Secrets and signatures never appear in exceptions or in {@link #toString()}.
 */
public final class SignatureVerifier {
  /** The header that carries the signature. */
  public static final String HEADER = "X-Signature";

  private final SecretKeySpec[] keys;

  private SignatureVerifier(List<SecretKeySpec> keys) {
    this.keys = keys.toArray(new SecretKeySpec[0]);
  }

  /**
   * A verifier that accepts signatures made with any of these secrets (at least one, none empty).
   */
  public static SignatureVerifier of(String... secrets) {
    Objects.requireNonNull(secrets, "secrets == null");
    return of(Arrays.asList(secrets));
  }

  /**
   * A verifier that accepts signatures made with any of these secrets (at least one, none empty).
   */
  public static SignatureVerifier of(Collection<String> secrets) {
    Objects.requireNonNull(secrets, "secrets == null");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("secrets is empty");
    }
    List<SecretKeySpec> keys = new ArrayList<>(secrets.size());
    int i = 0;
    for (String secret : secrets) {
      keys.add(Hmac.key(secret, "secrets[" + i++ + "]"));
    }
    return new SignatureVerifier(keys);
  }

  /**
   * Checks {@code signature} (the {@code X-Signature} header value, or null when absent) against
   * {@code body}, the raw request body. Surrounding whitespace is ignored and hex digits may be in
   * either case.
   *
   * @throws AuthenticationException {@code MISSING_SIGNATURE}, {@code MALFORMED_SIGNATURE} (not 40
   *     hex digits) or {@code SIGNATURE_MISMATCH}
   */
  public void verify(byte[] body, String signature) {
    Objects.requireNonNull(body, "body == null");
    if (signature == null || signature.isBlank()) {
      throw new AuthenticationException(
          Reason.MISSING_SIGNATURE, "the " + HEADER + " header is missing");
    }
    byte[] given = Hmac.unhex(signature.strip());
    if (given == null || given.length != Hmac.LENGTH) {
      throw new AuthenticationException(
          Reason.MALFORMED_SIGNATURE,
          "the " + HEADER + " header is not " + 2 * Hmac.LENGTH + " hex digits");
    }
    int[] first = FirstElement.range(body);
    boolean match = false;
    for (SecretKeySpec key : keys) {
      match |= MessageDigest.isEqual(Hmac.sha1(key, body, 0, body.length), given);
      if (first != null) {
        byte[] element = Hmac.sha1(key, body, first[0], first[1] - first[0]);
        match |= MessageDigest.isEqual(element, given);
      }
    }
    if (!match) {
      throw new AuthenticationException(
          Reason.SIGNATURE_MISMATCH, "the " + HEADER + " header does not match the body");
    }
  }

  /** The number of secrets only. */
  @Override
  public String toString() {
    return "SignatureVerifier{secrets=" + keys.length + "}";
  }
}
