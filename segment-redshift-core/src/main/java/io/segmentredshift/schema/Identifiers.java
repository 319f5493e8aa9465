package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Warehouse names from event data, the way Segment makes them, within one dialect's rules.
 *
 * <ol>
 *   <li>Segment's snake_case ({@link #snakeCase}, go-snakecase semantics): only ASCII letters and
 *       digits survive; {@code userId} → {@code user_id}, {@code Order Completed} → {@code
 *       order_completed}. A name with nothing left is empty, and its value goes to {@code
 *       _discards}.
 *   <li>{@code _} before a leading digit ({@code 3doctors} → {@code _3doctors}) and before a
 *       reserved word of the dialect ({@code open} → {@code _open} on Redshift).
 *   <li>The dialect's byte limit (Redshift 127, PostgreSQL 63): a longer name is cut and ends in
 *       {@code _} and 8 hex digits of a SHA-256 of the whole name, so two long names that share a
 *       prefix stay apart.
 * </ol>
 *
 * <p>{@link #sanitize} is idempotent, and its non-empty results are always {@linkplain #isSafe
 * safe}. Collisions between different source names that sanitize alike are resolved by the name map
 * with {@link #suffixed}.
 */
public final class Identifiers {
  /** Length of a hash suffix: {@code _} and 8 hex digits. */
  static final int SUFFIX_LENGTH = 9;

  /** Table names an event table may not take: the fixed tables. */
  private static final Set<String> FIXED_TABLES =
      Set.of(
          "tracks",
          "identifies",
          "users",
          "pages",
          "screens",
          "groups",
          "accounts",
          "aliases",
          "_discards",
          "_loads",
          "_columns");

  private final Set<String> reserved;
  private final int maxBytes;

  private Identifiers(Set<String> reserved, int maxBytes) {
    this.reserved = reserved;
    this.maxBytes = maxBytes;
  }

  /** The naming rules of {@code dialect}. */
  public static Identifiers of(Dialect dialect) {
    Objects.requireNonNull(dialect, "dialect == null");
    return new Identifiers(dialect.reservedWords(), dialect.maxIdentifierBytes());
  }

  /** The longest name, in bytes (all names are ASCII, so also in characters). */
  public int maxBytes() {
    return maxBytes;
  }

  /** Segment's snake_case of {@code raw} (go-snakecase semantics); may be empty. */
  public static String snakeCase(String raw) {
    return SnakeCase.of(Objects.requireNonNull(raw, "raw == null"));
  }

  /**
   * The column or schema name for {@code raw}: snake_case, prefixes, limit; empty if nothing is
   * left.
   */
  public String sanitize(String raw) {
    String snake = snakeCase(raw);
    if (snake.isEmpty()) {
      return snake;
    }
    char first = snake.charAt(0);
    if ((first >= '0' && first <= '9') || reserved.contains(snake)) {
      snake = "_" + snake;
    }
    return limit(snake);
  }

  /**
   * The table name for an event name: as {@link #sanitize}, and {@code _} before a name that
   * belongs to a fixed table ({@code Users} → {@code _users}), so an event cannot write into {@code
   * users} or {@code tracks}.
   */
  public String tableName(String eventName) {
    String name = sanitize(eventName);
    return FIXED_TABLES.contains(name) ? limit("_" + name) : name;
  }

  /**
   * {@code name} made distinct for the source {@code key}: cut so that {@code _} and 8 hex digits
   * of a hash of {@code key} fit the limit. Used when another source already owns {@code name}.
   */
  public String suffixed(String name, String key) {
    return cut(name, maxBytes - SUFFIX_LENGTH) + "_" + hash8(key);
  }

  /** {@code name} itself when it fits the limit, else cut with a hash of the whole name. */
  String limit(String name) {
    return name.length() <= maxBytes ? name : suffixed(name, name);
  }

  private static String cut(String name, int length) {
    String cut = name.length() <= length ? name : name.substring(0, length);
    while (cut.endsWith("_")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }

  /** True when {@code word} is reserved in this dialect. */
  public boolean isReserved(String word) {
    return reserved.contains(word);
  }

  /**
   * True for a name this library would produce: 1 to {@link #maxBytes()} characters of {@code a-z},
   * {@code 0-9} and {@code _}, not starting with a digit. (Standard columns like {@code timestamp}
   * are safe yet reserved: every identifier is quoted anyway.)
   */
  public boolean isSafe(String name) {
    if (name == null || name.isEmpty() || name.length() > maxBytes) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 8 lowercase hex digits of the SHA-256 of {@code key}'s UTF-8 bytes. */
  static String hash8(String key) {
    return sha256(key).substring(0, 8);
  }

  /** The SHA-256 of {@code key}'s UTF-8 bytes in lowercase hex. */
  static String sha256(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
