package io.segmentredshift.testkit;

import java.nio.charset.StandardCharsets;

/** UTF-8 checks in Redshift's terms: byte lengths, invalid bytes, cuts at character boundaries. */
final class Utf8 {
  private Utf8() {}

  /**
   * The index of the first byte that does not start a valid UTF-8 sequence in {@code bytes[from,
   * to)}, or -1 when all of it is valid. Overlong forms, surrogates (U+D800..U+DFFF) and code
   * points above U+10FFFF are invalid, as in Redshift.
   */
  static int firstInvalid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int length = sequenceLength(bytes, i, to);
      if (length == 0) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  /** Decodes valid UTF-8, replacing each byte of an invalid sequence with {@code replacement}. */
  static String decode(byte[] bytes, int from, int to, char replacement) {
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int length = sequenceLength(bytes, i, to);
      if (length == 0) {
        out.append(replacement);
        i++;
      } else {
        out.append(new String(bytes, i, length, StandardCharsets.UTF_8));
        i += length;
      }
    }
    return out.toString();
  }

  /** Decodes bytes for display: invalid bytes, NUL and (if asked) non-ASCII characters as '.'. */
  static String display(byte[] bytes, int from, int to, boolean asciiOnly, int maxChars) {
    String text = decode(bytes, from, to, '.');
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
    for (int i = 0; i < text.length() && out.length() < maxChars; ) {
      int cp = text.codePointAt(i);
      if (cp == 0 || asciiOnly && cp > 127) {
        out.append('.');
      } else if (out.length() + Character.charCount(cp) <= maxChars) {
        out.appendCodePoint(cp);
      } else {
        break;
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** The number of bytes of {@code text} in UTF-8. */
  static int length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The longest prefix of {@code text} that takes at most {@code maxBytes} bytes in UTF-8. */
  static String truncate(String text, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }

  /** The length of the valid sequence starting at {@code i}, or 0 when the byte there is bad. */
  private static int sequenceLength(byte[] b, int i, int to) {
    int b0 = b[i] & 0xff;
    if (b0 < 0x80) {
      return 1;
    }
    int length;
    int min = 0x80;
    int max = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      length = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 == 0xe0) {
        min = 0xa0;
      } else if (b0 == 0xed) {
        max = 0x9f;
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 == 0xf0) {
        min = 0x90;
      } else if (b0 == 0xf4) {
        max = 0x8f;
      }
    } else {
      return 0;
    }
    if (i + length > to) {
      return 0;
    }
    int b1 = b[i + 1] & 0xff;
    if (b1 < min || b1 > max) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      int bk = b[i + k] & 0xff;
      if (bk < 0x80 || bk > 0xbf) {
        return 0;
      }
    }
    return length;
  }
}
