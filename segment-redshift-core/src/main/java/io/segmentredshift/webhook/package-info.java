/**
 * The HTTP surface, independent of any server: {@link io.segmentredshift.webhook.WebhookHandler}
 * routes, limits, authenticates, parses and stores Segment Webhooks deliveries and Tracking API
 * requests, and answers with a {@link io.segmentredshift.webhook.WebhookResponse} once the {@link
 * io.segmentredshift.webhook.EventSink} has made the events durable. The servlet and Netty modules
 * translate their requests into {@link io.segmentredshift.webhook.WebhookRequest}s and nothing
 * more.
 *
 * <p>The routes, authentication, status codes, limits and the rule for partly bad batches are
 * documented in {@code WEBHOOK.md} in the segment-redshift-core module. The short form:
 *
 * <ul>
 *   <li>{@code POST /} and {@code /webhook} (also {@code PUT} and {@code PATCH}, which Webhooks
 *       (Actions) can be set to use): one message or an Actions array, {@code X-Signature} required
 *       when a secret is configured;
 *   <li>{@code POST /v1/batch} (and {@code /v1/import}), {@code /v1/identify}, {@code /v1/track},
 *       {@code /v1/page}, {@code /v1/screen}, {@code /v1/group}, {@code /v1/alias}: the Tracking
 *       API, with a write key in Basic credentials or in the body;
 *   <li>{@code GET /health}: liveness, spool backlog, last load, last error.
 * </ul>
 *
 * <p>Every error is {@code {"error": code, "message": text}} (plus {@code reason} and {@code
 * pointer} where they help); 5xx answers, which Segment retries, are given only for transient
 * conditions, always with {@code Retry-After}.
 */
package io.segmentredshift.webhook;
