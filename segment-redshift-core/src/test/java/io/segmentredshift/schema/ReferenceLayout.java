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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The layout as it was before names were cached and each event laid out once: a reference that
 * {@link LayoutEquivalenceTest} compares {@link WarehouseLayout} with, event by event.
 */
final class ReferenceLayout {
  private static final int MAX_ID_BYTES = WarehouseLayout.MAX_ID_BYTES;
  private static final int MAX_PATH_BYTES = WarehouseLayout.MAX_PATH_BYTES;

  private static final String CONTEXT_PREFIX = "context_";

  private final Identifiers identifiers;

  ReferenceLayout(Dialect dialect) {
    this.identifiers = Identifiers.of(Objects.requireNonNull(dialect, "dialect == null"));
  }

  EventRows rows(Event event, Instant loadedAt) {
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
        String slug = event.event() == null ? "" : identifiers.tableName(event.event());
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
      List<Field> fields = new ArrayList<>(16);
      Map<String, Object> standard = new HashMap<>();
      standard(fields, standard, "/messageId", "id", id);
      standard(fields, standard, "/anonymousId", "anonymous_id", e.anonymousId());
      standard(fields, standard, "/userId", "user_id", e.userId());
      switch (kind) {
        case TRACKS, EVENT -> {
          standard(fields, standard, "/event", "event", eventSlug);
          standard(fields, standard, "/event", "event_text", e.event());
        }
        case PAGES -> {
          standard(fields, standard, "/name", "name", e.name());
          standard(fields, standard, "/category", "category", e.category());
        }
        case SCREENS -> standard(fields, standard, "/name", "name", e.name());
        case GROUPS -> standard(fields, standard, "/groupId", "group_id", e.groupId());
        case ALIASES -> standard(fields, standard, "/previousId", "previous_id", e.previousId());
        default -> {}
      }
      standard(fields, standard, "/timestamp", "timestamp", e.timestamp());
      standard(fields, standard, "/originalTimestamp", "original_timestamp", e.originalTimestamp());
      standard(fields, standard, "/sentAt", "sent_at", e.sentAt());
      standard(fields, standard, "/receivedAt", "received_at", receivedAt);
      standard(fields, standard, "", "uuid_ts", loadedAt);
      for (Map.Entry<String, Object> entry : e.context().entrySet()) {
        flatten(
            table,
            kind,
            standard,
            fields,
            true,
            SourcePath.child("/context", entry.getKey()),
            entry.getKey(),
            entry.getValue());
      }
      if (custom != null) {
        String root =
            kind == TableKind.IDENTIFIES || kind == TableKind.GROUPS ? "/traits" : "/properties";
        for (Map.Entry<String, Object> entry : custom.entrySet()) {
          flatten(
              table,
              kind,
              standard,
              fields,
              false,
              SourcePath.child(root, entry.getKey()),
              entry.getKey(),
              entry.getValue());
        }
      }
      rows.add(new TableRow(table, kind, id, receivedAt, List.copyOf(fields)));
    }

    private void standard(
        List<Field> fields, Map<String, Object> standard, String path, String name, Object value) {
      if (value != null) {
        fields.add(new Field(path, name, value, true, true));
        standard.put(name, value);
      }
    }

    private void flatten(
        String table,
        TableKind kind,
        Map<String, Object> standard,
        List<Field> fields,
        boolean context,
        String path,
        String joined,
        Object value) {
      if (value == null) {
        return;
      }
      if (value instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          String key = (String) entry.getKey();
          flatten(
              table,
              kind,
              standard,
              fields,
              context,
              SourcePath.child(path, key),
              joined + "_" + key,
              entry.getValue());
        }
        return;
      }
      if (LengthUnit.utf8Length(path) > MAX_PATH_BYTES) {
        discard(table, null, path, DiscardReason.NAME_TOO_LONG, value);
        return;
      }
      String snake = Identifiers.snakeCase(joined);
      if (snake.isEmpty()) {
        discard(table, null, path, DiscardReason.EMPTY_NAME, value);
        return;
      }
      String raw = context ? CONTEXT_PREFIX + joined : joined;
      String name = identifiers.sanitize(raw);
      if (!context && (kind.isStandard(snake) || snake.startsWith(CONTEXT_PREFIX))) {
        Object standardValue = standard.get(snake);
        if (standardValue == null || !sameValue(standardValue, value)) {
          discard(table, snake, path, DiscardReason.STANDARD_COLUMN, value);
        }
        return;
      }
      Object stored = value instanceof List<?> ? JsonText.write(value) : value;
      fields.add(new Field(path, name, stored, false, raw.equals(name)));
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
