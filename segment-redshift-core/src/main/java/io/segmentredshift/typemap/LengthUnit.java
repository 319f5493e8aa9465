package io.segmentredshift.typemap;

/** How a dialect measures the length of a string against a varchar width. */
public enum LengthUnit {
  /** UTF-8 bytes (Amazon Redshift: {@code VARCHAR(n)} holds n bytes). */
  UTF8_BYTES,
  /** Unicode code points (PostgreSQL: {@code varchar(n)} holds n characters). */
  CHARACTERS;

  /** The length of {@code s} in this unit. */
  public int length(String s) {
    return this == UTF8_BYTES ? utf8Length(s) : s.codePointCount(0, s.length());
  }

  /** The UTF-8 length of {@code s}; an unpaired surrogate counts as the 3 bytes it would take. */
  public static int utf8Length(String s) {
    int bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
