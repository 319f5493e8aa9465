package io.segmentredshift.schema;

import java.time.Instant;
import java.util.List;

/**
 * The row one event contributes to one table, as the layout produced it.
 *
 * @param table the table name
 * @param kind the kind of table
 * @param id the row's id (the event's messageId)
 * @param receivedAt the row's {@code received_at}
 * @param fields the values, standard columns first, each non-null
 */
public record TableRow(
    String table, TableKind kind, String id, Instant receivedAt, List<Field> fields) {}
