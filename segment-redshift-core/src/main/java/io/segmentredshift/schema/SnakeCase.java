package io.segmentredshift.schema;

/**
 * Segment's snake_case: a port of the semantics of {@code segmentio/go-snakecase} ({@code
 * snake.go}), which Segment's warehouses use for table and column names.
 *
 * <p>Only ASCII letters and digits survive; every other character is a separator, runs of
 * separators become one {@code _}, and leading and trailing ones vanish. Uppercase letters are
 * lowercased, and a word boundary falls before an uppercase letter that follows a lowercase letter
 * or a digit; a run of capitals stays one word ({@code CStringRef} → {@code cstring_ref}) and
 * digits stick to the word before them. The Go code works on bytes; a non-ASCII character is a run
 * of non-ASCII bytes, all separators, so working on UTF-16 chars gives the same result.
 */
final class SnakeCase {
  private SnakeCase() {}

  static String of(String s) {
    int n = s.length();
    int i = 0;
    boolean hasLower = false;
    boolean hasUnderscore = false;
    boolean lowerSinceUnderscore = false;
    // The longest prefix that is already snake_case: lowercase letters, digits, and underscores
    // that are neither first nor last and are followed by a lowercase letter or a digit.
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (isLower(c)) {
        hasLower = true;
        if (hasUnderscore) {
          lowerSinceUnderscore = true;
        }
      } else if (isDigit(c)) {
        continue;
      } else if (c == '_' && i > 0 && i < n - 1 && isLowerOrDigit(s.charAt(i + 1))) {
        hasUnderscore = true;
        lowerSinceUnderscore = false;
      } else {
        break;
      }
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n + 8).append(s, 0, i);
    // Capitals right after a prefix without lowercase letters (or right after "_" and digits)
    // continue the current word instead of starting a new one: "5TEst" → "5test".
    if (isUpper(s.charAt(i)) && (!hasLower || (hasUnderscore && !lowerSinceUnderscore))) {
      i = word(s, i, out);
    }
    while (i < n) {
      if (!isAlphanumeric(s.charAt(i))) {
        i++;
        continue;
      }
      if (out.length() > 0) {
        out.append('_');
      }
      i = word(s, i, out);
    }
    return out.toString();
  }

  /** Appends capitals and digits (lowercased), then lowercase letters and digits. */
  private static int word(String s, int i, StringBuilder out) {
    int n = s.length();
    while (i < n && (isUpper(s.charAt(i)) || isDigit(s.charAt(i)))) {
      out.append(Character.toLowerCase(s.charAt(i++)));
    }
    while (i < n && isLowerOrDigit(s.charAt(i))) {
      out.append(s.charAt(i++));
    }
    return i;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLowerOrDigit(char c) {
    return isLower(c) || isDigit(c);
  }

  private static boolean isAlphanumeric(char c) {
    return isLower(c) || isUpper(c) || isDigit(c);
  }
}
