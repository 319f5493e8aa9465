package io.segmentredshift.load;

/**
 * An event of a batch that was not loaded because it breaks Segment's rules (no {@code userId} or
 * {@code anonymousId}, a track without {@code event}, ...). Nothing of it reaches the warehouse.
 *
 * @param index the event's position in the batch, from 0
 * @param messageId its messageId, or null
 * @param reason the machine-readable reason
 * @param pointer the JSON Pointer of the field at fault (e.g. {@code /event}), or empty
 */
public record RejectedEvent(int index, String messageId, String reason, String pointer) {}
