package io.segmentredshift.auth;

import io.segmentredshift.SegmentRedshiftException;

/**
 * A request that did not prove it may deliver events: a missing, malformed or wrong {@code
 * X-Signature}, or a missing, malformed or unknown write key. The message says which, and never
 * contains a secret, a signature or a key.
 */
public final class AuthenticationException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;

  /** What is wrong, machine-readable. */
  public enum Reason {
    /** A secret is configured but the request has no {@code X-Signature}. */
    MISSING_SIGNATURE,
    /** {@code X-Signature} is not 40 hex digits. */
    MALFORMED_SIGNATURE,
    /** {@code X-Signature} does not match the body under any configured secret. */
    SIGNATURE_MISMATCH,
    /** Neither a Basic {@code Authorization} header nor a {@code writeKey} in the body. */
    MISSING_WRITE_KEY,
    /** The {@code Authorization} header is not Basic credentials holding a write key. */
    MALFORMED_WRITE_KEY,
    /** The write key is not one of the configured keys. */
    UNKNOWN_WRITE_KEY
  }

  private final Reason reason;

  AuthenticationException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }
}
