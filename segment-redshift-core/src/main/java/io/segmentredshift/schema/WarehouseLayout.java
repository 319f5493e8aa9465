package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.typemap.DiscardReason;
import io.segmentredshift.typemap.JsonText;
import io.segmentredshift.typemap.LengthUnit;
import io.segmentredshift.typemap.TypeMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Segment's warehouse layout: turns an event into the rows of the tables Segment's own warehouse
 * sync writes. Thread-safe; the same event always gives the same rows. Names are computed once per
 * key chain and event name and kept in bounded caches, so an event costs a hash lookup per key.
 *
 * <ul>
 *   <li>identify → {@code identifies}; track → {@code tracks} (common columns only) and the event's
 *       own table (its sanitized name; {@code event} holds that slug, {@code event_text} the name
 *       as sent); page → {@code pages}; screen → {@code screens}; group → {@code groups}; alias →
 *       {@code aliases}. {@code users} and {@code accounts} get no rows here: they are computed
 *       from identifies and groups by the merge (see {@link TableKind#USERS}). A {@code delete}
 *       gives nothing.
 *   <li>Standard columns keep Segment's names ({@code id} = messageId, {@code anonymous_id}, {@code
 *       user_id}, {@code timestamp}, {@code original_timestamp}, {@code sent_at}, {@code
 *       received_at}, {@code uuid_ts} = the load time, {@code event}, {@code event_text}, {@code
 *       name}, {@code category}, {@code group_id}, {@code previous_id}).
 *   <li>{@code context} is flattened with the prefix {@code context_}; {@code traits} (identify,
 *       group) and {@code properties} (track, page, screen) without a prefix. Nested objects join
 *       their keys with {@code _}; arrays are stored as their JSON text; nulls and empty objects
 *       give no value.
 *   <li>A trait or property whose name is a standard column of its table, or starts with {@code
 *       context_}, would overwrite a standard column: when its value differs from the standard
 *       value it goes to {@code _discards} (reason {@link DiscardReason#STANDARD_COLUMN}); when it
 *       is equal (analytics.js repeats a page's {@code name} in its properties) nothing is lost.
 *   <li>Not loaded, as in Segment's warehouses: {@code integrations}, {@code version}, {@code
 *       channel}, {@code writeKey}, {@code type} and every other top-level field ({@code
 *       _metadata}, {@code projectId}, unknown ones), and the traits of a track or page.
 * </ul>
 */
public final class WarehouseLayout {
  /** The longest messageId a row may have, in UTF-8 bytes (the {@code id} column's width). */
  public static final int MAX_ID_BYTES = 512;

  /** The longest source path the name map records, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 65535;

  private final Identifiers identifiers;
  private final KeyNames names;
  private final EventTables eventTables;

  /** The layout with {@code dialect}'s naming rules. */
  public WarehouseLayout(Dialect dialect) {
    this.identifiers = Identifiers.of(Objects.requireNonNull(dialect, "dialect == null"));
    this.names = new KeyNames(identifiers);
    this.eventTables = new EventTables(identifiers);
  }

  /** The naming rules in use. */
  public Identifiers identifiers() {
    return identifiers;
  }

  /**
   * The rows of {@code event}.
   *
   * @param event the event
   * @param loadedAt the batch's load time: {@code uuid_ts}, and {@code received_at} for an event
   *     that has none
   */
  public EventRows rows(Event event, Instant loadedAt) {
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(loadedAt, "loadedAt == null");
    if (event.type() == EventType.DELETE) {
      return new EventRows(List.of(), List.of(), loadedAt);
    }
    Instant receivedAt = event.receivedAt() != null ? event.receivedAt() : loadedAt;
    String id = event.messageId();
    String mainTable = mainTable(event);
    if (!usableId(id)) {
      Discard whole =
          new Discard(
              mainTable,
              null,
              "",
              null,
              receivedAt,
              DiscardReason.INVALID_MESSAGE_ID,
              asJson(event),
              null);
      return new EventRows(List.of(), List.of(whole), loadedAt);
    }
    Builder b = new Builder(id, receivedAt, loadedAt);
    switch (event.type()) {
      case TRACK -> {
        String slug = event.event() == null ? "" : eventTables.tableName(event.event());
        String eventColumn = slug.isEmpty() ? null : slug;
        b.row("tracks", TableKind.TRACKS, event, eventColumn, null);
        if (!slug.isEmpty()) {
          b.row(slug, TableKind.EVENT, event, eventColumn, event.properties());
        } else if (!event.properties().isEmpty()) {
          b.discards.add(
              new Discard(
                  "tracks",
                  null,
                  "/properties",
                  id,
                  receivedAt,
                  DiscardReason.NO_EVENT_TABLE,
                  event.properties(),
                  null));
        }
      }
      case IDENTIFY -> b.row("identifies", TableKind.IDENTIFIES, event, null, event.traits());
      case PAGE -> b.row("pages", TableKind.PAGES, event, null, event.properties());
      case SCREEN -> b.row("screens", TableKind.SCREENS, event, null, event.properties());
      case GROUP -> b.row("groups", TableKind.GROUPS, event, null, event.traits());
      case ALIAS -> b.row("aliases", TableKind.ALIASES, event, null, null);
      case DELETE -> throw new AssertionError("handled above");
    }
    return new EventRows(b.rows, b.discards, loadedAt);
  }

  private static String mainTable(Event event) {
    return switch (event.type()) {
      case TRACK -> "tracks";
      case IDENTIFY -> "identifies";
      case PAGE -> "pages";
      case SCREEN -> "screens";
      case GROUP -> "groups";
      case ALIAS -> "aliases";
      case DELETE -> "";
    };
  }

  private static boolean usableId(String id) {
    return id != null
        && !id.isEmpty()
        && TypeMapper.validText(id)
        && LengthUnit.utf8Length(id) <= MAX_ID_BYTES;
  }

  /** The event as a JSON object, for a discard that keeps a whole event. */
  private static Map<String, Object> asJson(Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", e.type().wireName());
    m.put("messageId", e.messageId());
    m.put("anonymousId", e.anonymousId());
    m.put("userId", e.userId());
    m.put("event", e.event());
    m.put("name", e.name());
    m.put("category", e.category());
    m.put("groupId", e.groupId());
    m.put("previousId", e.previousId());
    m.put("timestamp", e.timestamp() == null ? null : e.timestamp().toString());
    m.put(
        "originalTimestamp",
        e.originalTimestamp() == null ? null : e.originalTimestamp().toString());
    m.put("sentAt", e.sentAt() == null ? null : e.sentAt().toString());
    m.put("receivedAt", e.receivedAt() == null ? null : e.receivedAt().toString());
    m.put("traits", e.traits());
    m.put("properties", e.properties());
    m.put("context", e.context());
    m.values().removeIf(Objects::isNull);
    return m;
  }

  /** Builds the rows of one event. */
  private final class Builder {
    final String id;
    final Instant receivedAt;
    final Instant loadedAt;
    final List<TableRow> rows = new ArrayList<>(2);
    final List<Discard> discards = new ArrayList<>(0);

    Builder(String id, Instant receivedAt, Instant loadedAt) {
      this.id = id;
      this.receivedAt = receivedAt;
      this.loadedAt = loadedAt;
    }

    void row(String table, TableKind kind, Event e, String eventSlug, Map<String, Object> custom) {
      List<Field> fields = new ArrayList<>(16 + e.context().size() + sizeOf(custom));
      standard(fields, "/messageId", "id", id);
      standard(fields, "/anonymousId", "anonymous_id", e.anonymousId());
      standard(fields, "/userId", "user_id", e.userId());
      switch (kind) {
        case TRACKS, EVENT -> {
          standard(fields, "/event", "event", eventSlug);
          standard(fields, "/event", "event_text", e.event());
        }
        case PAGES -> {
          standard(fields, "/name", "name", e.name());
          standard(fields, "/category", "category", e.category());
        }
        case SCREENS -> standard(fields, "/name", "name", e.name());
        case GROUPS -> standard(fields, "/groupId", "group_id", e.groupId());
        case ALIASES -> standard(fields, "/previousId", "previous_id", e.previousId());
        default -> {}
      }
      standard(fields, "/timestamp", "timestamp", e.timestamp());
      standard(fields, "/originalTimestamp", "original_timestamp", e.originalTimestamp());
      standard(fields, "/sentAt", "sent_at", e.sentAt());
      standard(fields, "/receivedAt", "received_at", receivedAt);
      standard(fields, "", "uuid_ts", loadedAt);
      int standardCount = fields.size();
      KeyNames.Key context = names.context();
      for (Map.Entry<String, Object> entry : e.context().entrySet()) {
        flatten(
            table, kind, fields, standardCount, context.child(entry.getKey()), entry.getValue());
      }
      if (custom != null) {
        KeyNames.Key root =
            kind == TableKind.IDENTIFIES || kind == TableKind.GROUPS
                ? names.traits()
                : names.properties();
        for (Map.Entry<String, Object> entry : custom.entrySet()) {
          flatten(table, kind, fields, standardCount, root.child(entry.getKey()), entry.getValue());
        }
      }
      rows.add(new TableRow(table, kind, id, receivedAt, Collections.unmodifiableList(fields)));
    }

    private static int sizeOf(Map<String, Object> custom) {
      return custom == null ? 0 : custom.size();
    }

    private void standard(List<Field> fields, String path, String name, Object value) {
      if (value != null) {
        fields.add(new Field(path, name, value, true, true));
      }
    }

    private void flatten(
        String table,
        TableKind kind,
        List<Field> fields,
        int standardCount,
        KeyNames.Key key,
        Object value) {
      if (value == null) {
        return;
      }
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          flatten(
              table,
              kind,
              fields,
              standardCount,
              key.child((String) entry.getKey()),
              entry.getValue());
        }
        return;
      }
      if (key.pathTooLong) {
        discard(table, null, key.path, DiscardReason.NAME_TOO_LONG, value);
        return;
      }
      if (key.snake.isEmpty()) {
        discard(table, null, key.path, DiscardReason.EMPTY_NAME, value);
        return;
      }
      if (key.collides(kind)) {
        Object standardValue = standardValue(fields, standardCount, key.snake);
        if (standardValue == null || !sameValue(standardValue, value)) {
          discard(table, key.snake, key.path, DiscardReason.STANDARD_COLUMN, value);
        }
        return;
      }
      Object stored = value instanceof List<?> ? JsonText.write(value) : value;
      fields.add(new Field(key.path, key.name, stored, false, key.exact));
    }

    /** The value of the standard column {@code name} in this row, or null. */
    private static Object standardValue(List<Field> fields, int standardCount, String name) {
      for (int i = 0; i < standardCount; i++) {
        Field f = fields.get(i);
        if (f.name().equals(name)) {
          return f.value();
        }
      }
      return null;
    }

    private void discard(
        String table, String column, String path, DiscardReason reason, Object value) {
      discards.add(new Discard(table, column, path, id, receivedAt, reason, value, null));
    }
  }

  /** True when a trait or property repeats the value its standard column already has. */
  private static boolean sameValue(Object standard, Object value) {
    if (standard instanceof Instant instant && value instanceof String s) {
      Instant parsed = TypeMapper.timestamp(s);
      return parsed != null
          && parsed.truncatedTo(ChronoUnit.MICROS).equals(instant.truncatedTo(ChronoUnit.MICROS));
    }
    return standard.equals(value);
  }
}
