package io.segmentredshift.schema;

import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.DiscardReason;
import java.time.Instant;

/**
 * A value that did not reach its column: it becomes a row of {@code _discards}.
 *
 * @param table the table the value was meant for
 * @param column the column it was meant for, or null when there is none (an empty name, a whole
 *     event)
 * @param path where the value sits in the event (JSON Pointer; empty for a whole event)
 * @param rowId the id of the row (messageId), or null when the event has none
 * @param receivedAt the row's {@code received_at}
 * @param reason why the value was not loaded
 * @param value the JSON value as it came (an object or array for a whole subtree)
 * @param columnType the column's type when there was one, else null
 */
public record Discard(
    String table,
    String column,
    String path,
    String rowId,
    Instant receivedAt,
    DiscardReason reason,
    Object value,
    ColumnType columnType) {}
