package io.segmentredshift.schema;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The table names of track event names ({@link Identifiers#tableName}), each computed once: a
 * source sends a few dozen event names over and over. At most {@value #MAX_NAMES} names of at most
 * {@value #MAX_CACHED_LENGTH} characters are kept; when full, the cache starts afresh. Thread-safe.
 */
final class EventTables {
  static final int MAX_NAMES = 4096;
  static final int MAX_CACHED_LENGTH = 200;

  private final Identifiers identifiers;
  private volatile ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

  EventTables(Identifiers identifiers) {
    this.identifiers = identifiers;
  }

  /** The table of the event called {@code eventName}; empty when nothing is left of the name. */
  String tableName(String eventName) {
    if (eventName.length() > MAX_CACHED_LENGTH) {
      return identifiers.tableName(eventName);
    }
    ConcurrentHashMap<String, String> map = names;
    String table = map.get(eventName);
    if (table == null) {
      table = identifiers.tableName(eventName);
      if (map.size() >= MAX_NAMES) {
        names = new ConcurrentHashMap<>();
      } else {
        map.put(eventName, table);
      }
    }
    return table;
  }
}
