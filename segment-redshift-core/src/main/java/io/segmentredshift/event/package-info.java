/**
 * Segment messages: the immutable {@link io.segmentredshift.event.Event}, the streaming {@link
 * io.segmentredshift.event.EventParser} with its {@link io.segmentredshift.event.EventLimits}, the
 * Spec rules in {@link io.segmentredshift.event.EventValidator}, and the canonical JSON form in
 * {@link io.segmentredshift.event.EventJson}.
 *
 * <h2>Reading</h2>
 *
 * <p>The parser reads request bodies (a classic webhook object, a Webhooks (Actions) array, a
 * Tracking API batch or single call) and NDJSON streams (Segment's S3 archive) on Jackson's
 * streaming API, never through a tree. Every input field is kept: the Spec's fields in their
 * accessors, every other top-level field in {@link io.segmentredshift.event.Event#extras()}. A
 * duplicate key takes its last value, as JavaScript's {@code JSON.parse} does. Numbers keep their
 * exact value (see {@link io.segmentredshift.event.Event} for the value model): {@code 1e400} and
 * {@code 0.1000000000000000000001} stay BigDecimals rather than being rounded to a double.
 * Identifiers may be sent as JSON integers and are kept as their decimal text. The bytes must be
 * well-formed UTF-8 ({@code INVALID_UTF8} otherwise: bad sequences, overlong forms, encoded
 * surrogates, code points past U+10FFFF); an unpaired surrogate written as an escape sequence in a
 * string value is JSON and is kept (and written back escaped), in a field name it is refused.
 *
 * <p>Every event returned is complete: a missing {@code messageId} is derived from the content
 * ({@link io.segmentredshift.event.EventValidator#derivedMessageId(Event)}; the same message
 * retried gets the same id), a missing {@code receivedAt} is the time of receipt, and a missing
 * {@code timestamp} is computed as Segment computes it.
 *
 * <h2>Errors and the HTTP answer</h2>
 *
 * <p>Every failure is a {@link io.segmentredshift.event.MalformedEventException} with a
 * machine-readable reason and a location; no Jackson exception, stack trace or payload value
 * reaches the caller. A failure of the whole request is thrown; a failure of one message in a batch
 * or array is returned with its index in {@link io.segmentredshift.event.ParseResult#rejected()},
 * and the good messages are kept.
 *
 * <p>The webhook handler answers, following Segment's Tracking API (which answers 200 for a batch
 * even when messages are rejected later, and 400 only for an invalid or oversized request):
 *
 * <ul>
 *   <li><b>413</b> when the request is thrown out as {@code TOO_LARGE} (the body is over {@link
 *       io.segmentredshift.event.EventLimits#maxRequestBytes()}, or a single-message body over
 *       {@link io.segmentredshift.event.EventLimits#maxEventBytes()});
 *   <li><b>400</b> for every other exception thrown by a parse method: the body is not JSON, is
 *       truncated, is not UTF-8, has more than {@link
 *       io.segmentredshift.event.EventLimits#maxBatchEvents()} messages ({@code TOO_MANY_EVENTS}),
 *       has the wrong shape, or is a single message (classic webhook, {@code /v1/track} ...) that
 *       is not valid;
 *   <li><b>400</b> when a batch or array held messages and every one was rejected ({@link
 *       io.segmentredshift.event.ParseResult#allRejected()}), with the rejected list as below;
 *   <li><b>200</b> otherwise, once the valid events are stored, even when some were rejected, and
 *       for an empty batch. The JSON answer counts the stored events and names each rejected one by
 *       index, reason and pointer, e.g. {@code {"accepted": 2, "rejected": [{"index": 1, "reason":
 *       "MISSING_FIELD", "pointer": "/event"}]}}.
 * </ul>
 *
 * <p>Segment does not retry a 4xx, so a rejected message is not sent again: the answer and the
 * handler's counters are the record of it. A batch is refused as a whole only when its JSON cannot
 * be read as a whole.
 */
package io.segmentredshift.event;
