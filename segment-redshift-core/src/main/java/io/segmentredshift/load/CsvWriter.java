package io.segmentredshift.load;

import io.segmentredshift.schema.LoadRow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Writes {@link LoadRow}s as CSV in UTF-8 that both COPY paths read back exactly: Redshift's {@code
 * COPY ... CSV NULL AS '<marker>'} and PostgreSQL's {@code COPY ... (FORMAT csv)}.
 *
 * <ul>
 *   <li>NULL is the marker, unquoted: a random text for Redshift (named in {@code NULL AS}), the
 *       empty string for PostgreSQL (its CSV default).
 *   <li>Every string is quoted, {@code "} doubled; delimiters, newlines and backslashes stay as
 *       they are inside the quotes (CSV has no backslash escapes). So the empty string is {@code
 *       ""}: PostgreSQL reads a quoted empty field as the empty string, and Redshift loads an empty
 *       field into a VARCHAR as the empty string (only EMPTYASNULL would make it NULL, and it is
 *       never given).
 *   <li>Booleans {@code true}/{@code false}; integers and doubles in Java's shortest exact form
 *       ({@code 1.0E-5}); timestamps {@code 2024-03-05T10:11:12.123456Z} (UTC; Redshift's TIMESTAMP
 *       ignores the {@code Z}, PostgreSQL's timestamptz honours it).
 * </ul>
 *
 * <p>A string with NUL or an unpaired surrogate, or equal to the NULL marker, is refused with an
 * {@link IllegalArgumentException}: the schema package sends such values to {@code _discards}, so
 * reaching here would be a bug, and Redshift would cut the record at a NUL without a word.
 *
 * <p>Not thread-safe. Buffers internally; {@link #flush()} at the end.
 */
public final class CsvWriter {
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final String nullMarker;
  private final byte[] nullBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private long lines;
  private long bytes;

  /**
   * A writer.
   *
   * @param out where the bytes go
   * @param nullMarker the text of NULL: empty for PostgreSQL, else ASCII letters, digits, {@code
   *     _}, {@code -} and {@code ~} only (it is written unquoted)
   */
  public CsvWriter(OutputStream out, String nullMarker) {
    this.out = Objects.requireNonNull(out, "out == null");
    this.nullMarker = Objects.requireNonNull(nullMarker, "nullMarker == null");
    for (int i = 0; i < nullMarker.length(); i++) {
      char c = nullMarker.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
          && c != '_'
          && c != '-'
          && c != '~') {
        throw new IllegalArgumentException("nullMarker has a character that needs quoting at " + i);
      }
    }
    this.nullBytes = nullMarker.getBytes(StandardCharsets.US_ASCII);
  }

  /** The number of lines written so far: a record may span several (newlines in values). */
  public long lines() {
    return lines;
  }

  /** The number of bytes written so far, buffered ones included. */
  public long bytes() {
    return bytes + pos;
  }

  /** Writes one record: the row's values in order, a newline at the end. */
  public void write(LoadRow row) throws IOException {
    int n = row.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        put((byte) ',');
      }
      value(row.value(i));
    }
    put((byte) '\n');
    lines++;
  }

  /** Writes out what is buffered and flushes the stream. */
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  private void value(Object v) throws IOException {
    if (v == null) {
      put(nullBytes);
    } else if (v instanceof String s) {
      string(s);
    } else if (v instanceof Long l) {
      ascii(Long.toString(l));
    } else if (v instanceof Boolean b) {
      put(b ? TRUE : FALSE);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("not a finite double");
      }
      ascii(Double.toString(d));
    } else if (v instanceof Instant t) {
      timestamp(t);
    } else {
      throw new IllegalArgumentException("not a load value: " + v.getClass().getName());
    }
  }

  private void string(String s) throws IOException {
    if (!nullMarker.isEmpty() && s.equals(nullMarker)) {
      throw new IllegalArgumentException("a value equals the NULL marker");
    }
    put((byte) '"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == 0) {
          throw new IllegalArgumentException("a string has a NUL character");
        }
        if (c == '"') {
          put((byte) '"');
        } else if (c == '\n') {
          lines++;
        }
        put((byte) c);
      } else if (c < 0x800) {
        ensure(2);
        buf[pos++] = (byte) (0xc0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        char low = i + 1 < n ? s.charAt(i + 1) : 0;
        if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
          throw new IllegalArgumentException("a string has an unpaired surrogate");
        }
        int cp = Character.toCodePoint(c, low);
        i++;
        ensure(4);
        buf[pos++] = (byte) (0xf0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[pos++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        ensure(3);
        buf[pos++] = (byte) (0xe0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[pos++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    put((byte) '"');
  }

  /** {@code uuuu-MM-ddTHH:mm:ss.SSSSSSZ}, UTC; years 0001 to 9999. */
  private void timestamp(Instant t) throws IOException {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 1 || year > 9999) {
      throw new IllegalArgumentException("timestamp out of range");
    }
    ensure(27);
    digits(year, 4);
    buf[pos++] = '-';
    digits(d.getMonthValue(), 2);
    buf[pos++] = '-';
    digits(d.getDayOfMonth(), 2);
    buf[pos++] = 'T';
    digits(d.getHour(), 2);
    buf[pos++] = ':';
    digits(d.getMinute(), 2);
    buf[pos++] = ':';
    digits(d.getSecond(), 2);
    buf[pos++] = '.';
    digits(d.getNano() / 1000, 6);
    buf[pos++] = 'Z';
  }

  private void digits(int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      buf[pos + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    pos += width;
  }

  private void ascii(String s) throws IOException {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) throws IOException {
    if (pos == buf.length) {
      drain();
    }
    buf[pos++] = b;
  }

  private void put(byte[] b) throws IOException {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void ensure(int n) throws IOException {
    if (buf.length - pos < n) {
      drain();
    }
  }

  private void drain() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      bytes += pos;
      pos = 0;
    }
  }
}
