package io.segmentredshift.schema;

import io.segmentredshift.typemap.LengthUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of the key chains the layout meets ({@code context.library.name}, {@code
 * properties.shipping.cost}), each computed once: its source path, its snake_case and its column
 * name. An event brings the same few hundred chains again and again, so the layout looks a chain up
 * here, one hash lookup per key, instead of escaping, joining and sanitizing every key of every
 * event.
 *
 * <p>Memory is bounded: at most {@value #MAX_KEYS} chains are kept, and only those whose path has
 * at most {@value #MAX_CACHED_PATH} characters; when the cache is full it starts afresh, so hostile
 * traffic with ever new keys costs what the computation costs and no more memory. Longer chains are
 * computed each time. Thread-safe: entries are immutable and computed from their keys alone.
 */
final class KeyNames {
  /** The most chains kept before the cache starts afresh. */
  static final int MAX_KEYS = 8192;

  /** The longest path, in characters, that is kept. */
  static final int MAX_CACHED_PATH = 200;

  private static final String CONTEXT_PREFIX = "context_";
  private static final TableKind[] KINDS = TableKind.values();

  private final Identifiers identifiers;
  private final AtomicInteger size = new AtomicInteger();
  private volatile Roots roots;

  KeyNames(Identifiers identifiers) {
    this.identifiers = identifiers;
    this.roots = new Roots();
  }

  /** The roots of one generation of the cache. */
  private final class Roots {
    final Key context = new Key(null, "/context", "", true, true);
    final Key traits = new Key(null, "/traits", "", false, true);
    final Key properties = new Key(null, "/properties", "", false, true);
  }

  /** The root of {@code context}: its keys are prefixed with {@code context_}. */
  Key context() {
    return roots.context;
  }

  /** The root of {@code traits}. */
  Key traits() {
    return roots.traits;
  }

  /** The root of {@code properties}. */
  Key properties() {
    return roots.properties;
  }

  /** One chain of keys below a root, with everything the layout derives from it. */
  final class Key {
    /** The JSON Pointer of the value, e.g. {@code /properties/shipping/cost}. */
    final String path;

    /** The keys below the root joined with {@code _}, e.g. {@code shipping_cost}. */
    final String joined;

    /** True below {@code context}: column names get the {@code context_} prefix. */
    final boolean context;

    /** True when the path is longer than the name map records ({@code NAME_TOO_LONG}). */
    final boolean pathTooLong;

    /** Segment's snake_case of {@link #joined}; empty when nothing is left ({@code EMPTY_NAME}). */
    final String snake;

    /** The column name asked for: {@link #snake} (after the prefix) sanitized. */
    final String name;

    /** True when the joined keys (with the prefix) already are {@link #name}. */
    final boolean exact;

    /**
     * Outside {@code context}: the table kinds of which {@link #snake} is a standard column, one
     * bit per ordinal, plus {@link #CONTEXTUAL} when it starts with {@code context_}.
     */
    private final long standardIn;

    private final boolean cached;
    private final ConcurrentHashMap<String, Key> children;

    private final boolean root;

    private Key(Key parent, String path, String joined, boolean context, boolean cached) {
      this.root = parent == null;
      this.path = path;
      this.joined = joined;
      this.context = context;
      this.cached = cached;
      this.children = cached ? new ConcurrentHashMap<>() : null;
      if (root) {
        // Never a column itself.
        this.pathTooLong = false;
        this.snake = "";
        this.name = "";
        this.exact = false;
        this.standardIn = 0;
        return;
      }
      this.pathTooLong = LengthUnit.utf8Length(path) > WarehouseLayout.MAX_PATH_BYTES;
      this.snake = Identifiers.snakeCase(joined);
      String raw = context ? CONTEXT_PREFIX + joined : joined;
      this.name = identifiers.sanitize(raw);
      this.exact = raw.equals(name);
      long bits = 0;
      if (!context && !snake.isEmpty()) {
        for (TableKind kind : KINDS) {
          if (kind.isStandard(snake)) {
            bits |= 1L << kind.ordinal();
          }
        }
        if (snake.startsWith(CONTEXT_PREFIX)) {
          bits |= CONTEXTUAL;
        }
      }
      this.standardIn = bits;
    }

    /**
     * True when a value here would write a standard column of {@code kind} or a {@code context_}
     * column: outside {@code context}, a snake_case that is one of the kind's standard columns or
     * starts with {@code context_}.
     */
    boolean collides(TableKind kind) {
      return (standardIn & ((1L << kind.ordinal()) | CONTEXTUAL)) != 0;
    }

    /** The chain one key deeper. */
    Key child(String key) {
      if (cached) {
        Key k = children.get(key);
        if (k != null) {
          return k;
        }
      }
      String childPath = SourcePath.child(path, key);
      Key k =
          new Key(
              this,
              childPath,
              root ? key : joined + "_" + key,
              context,
              cached && childPath.length() <= MAX_CACHED_PATH);
      if (cached && k.cached) {
        if (size.incrementAndGet() > MAX_KEYS) {
          // Start afresh rather than grow: the chains in use come back at once.
          size.set(0);
          roots = new Roots();
          return k;
        }
        Key raced = children.putIfAbsent(key, k);
        return raced != null ? raced : k;
      }
      return k;
    }
  }

  private static final long CONTEXTUAL = 1L << 62;
}
