package io.segmentredshift.load;

import io.segmentredshift.event.MalformedEventException;

/**
 * An event of a batch that was not loaded because it breaks Segment's rules (no {@code userId} or
 * {@code anonymousId}, a track without {@code event}, a messageId over 100 characters, ...; see
 * {@code EventValidator}). Nothing of it reaches the warehouse.
 *
 * @param index the event's position in the batch, from 0
 * @param messageId its messageId, or null
 * @param reason the machine-readable reason
 * @param pointer the JSON Pointer of the field at fault (e.g. {@code /event}), or empty
 * @param detail what is wrong, without values (e.g. {@code "event is required"})
 */
public record RejectedEvent(
    int index,
    String messageId,
    MalformedEventException.Reason reason,
    String pointer,
    String detail) {}
