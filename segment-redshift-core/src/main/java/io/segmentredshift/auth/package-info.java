/**
 * Who may deliver events: {@link io.segmentredshift.auth.SignatureVerifier} checks the {@code
 * X-Signature} that Segment's Webhooks destinations put on each request, {@link
 * io.segmentredshift.auth.Signer} makes such signatures, and {@link
 * io.segmentredshift.auth.WriteKeys} checks the write key of requests in the Tracking API's shape
 * and names their source. Failures are {@link io.segmentredshift.auth.AuthenticationException}s
 * with a machine-readable reason; the webhook handler answers 401.
 *
 * <p>Secrets, signatures and write keys never appear in exceptions, {@code toString()} or logs.
 * Comparisons take the same time whether a guess is close or not.
 */
package io.segmentredshift.auth;
