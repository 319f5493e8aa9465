package io.segmentredshift.schema;

/**
 * Where a value sits in an event, as a JSON Pointer (RFC 6901): {@code /properties/shipping/cost}.
 *
 * <p>In a key, {@code ~} is written {@code ~0} and {@code /} {@code ~1} (RFC 6901), and a control
 * character or an unpaired surrogate {@code ~u} and 4 hex digits, so that every path is printable
 * UTF-8 text that a warehouse can store and two different keys never give one path.
 */
final class SourcePath {
  private SourcePath() {}

  static String child(String parent, String key) {
    StringBuilder out = new StringBuilder(parent.length() + key.length() + 1).append(parent);
    out.append('/');
    int n = key.length();
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c == '~') {
        out.append("~0");
      } else if (c == '/') {
        out.append("~1");
      } else if (c < 0x20 || c == 0x7f) {
        escape(c, out);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        out.append(c).append(key.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        escape(c, out);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void escape(char c, StringBuilder out) {
    String hex = Integer.toHexString(c);
    out.append("~u");
    for (int i = hex.length(); i < 4; i++) {
      out.append('0');
    }
    out.append(hex);
  }
}
