package io.segmentredshift.webhook;

/**
 * Counters of a {@link WebhookHandler} since it was built: the record of what was accepted and what
 * was refused (Segment does not retry a 4xx, so these counts are where refused events show up). The
 * fields are read one by one without a lock, so they may disagree by the requests in flight.
 *
 * @param requests requests handled, health checks included
 * @param acceptedEvents events stored durably and acknowledged
 * @param rejectedEvents messages refused inside otherwise accepted batches, and in 400 answers
 * @param clientErrors requests answered with a 4xx status
 * @param unavailable requests answered with a 5xx status (spool full, shutting down, failures)
 */
public record WebhookStats(
    long requests, long acceptedEvents, long rejectedEvents, long clientErrors, long unavailable) {}
