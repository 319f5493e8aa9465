package io.segmentredshift.load.pgcopy;

import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.ColumnType.Kind;
import io.segmentredshift.typemap.LengthUnit;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@link LoadRow}s in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT
 * binary)}): a header, per row a field count and per field its length and bytes, a trailer. The
 * server then reads each value with its type's receive function instead of parsing text: no
 * quoting, no number or date parsing, and on this side no formatting of doubles and timestamps.
 *
 * <ul>
 *   <li>varchar ({@code text}, {@code varchar(n)}): the string's UTF-8 bytes;
 *   <li>boolean: one byte; bigint: 8 bytes; double precision: the IEEE 754 bits, 8 bytes;
 *   <li>timestamp ({@code timestamptz}, {@code timestamp}): microseconds since 2000-01-01 UTC, 8
 *       bytes (for {@code timestamp} without time zone that is the UTC wall clock, which is what
 *       the CSV text with its {@code Z} gives such a column too);
 *   <li>NULL: length -1.
 * </ul>
 *
 * <p>Each column's bytes depend on its type, so a table is only written this way when every value
 * is of its column's type ({@link #fits}); the loader falls back to CSV otherwise. A string with
 * NUL or an unpaired surrogate is refused with an {@link IllegalArgumentException}, as {@link
 * io.segmentredshift.load.CsvWriter} does: the schema package never lets one through.
 *
 * <p>Not thread-safe. Buffers internally; {@link #finish()} writes the trailer and flushes.
 */
final class BinaryCopyWriter {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  /** Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int pos;

  BinaryCopyWriter(OutputStream out) throws IOException {
    this.out = Objects.requireNonNull(out, "out == null");
    put(SIGNATURE);
    putInt(0); // flags: no OIDs
    putInt(0); // no header extension
  }

  /**
   * True when every value of {@code rows} is null or of the Java type of its column's kind (String
   * for varchar, Long, Double, Boolean, Instant), so that the binary format fits each column.
   */
  static boolean fits(TableSchema table, List<LoadRow> rows) {
    int n = table.columns().size();
    Class<?>[] expected = new Class<?>[n];
    for (int i = 0; i < n; i++) {
      expected[i] = javaType(table.columns().get(i).type().kind());
    }
    for (LoadRow row : rows) {
      for (int i = 0; i < n; i++) {
        Object v = row.value(i);
        if (v != null && v.getClass() != expected[i]) {
          return false;
        }
      }
    }
    return true;
  }

  /** The Java type of a kind's values, or null for a kind that only takes NULL. */
  private static Class<?> javaType(Kind kind) {
    return switch (kind) {
      case BOOLEAN -> Boolean.class;
      case BIGINT -> Long.class;
      case DOUBLE -> Double.class;
      case TIMESTAMP -> Instant.class;
      case VARCHAR -> String.class;
      case OTHER -> null;
    };
  }

  /** Writes one row. */
  void write(LoadRow row) throws IOException {
    int n = row.size();
    ensure(2);
    buf[pos++] = (byte) (n >>> 8);
    buf[pos++] = (byte) n;
    for (int i = 0; i < n; i++) {
      Object v = row.value(i);
      if (v == null) {
        putInt(-1);
      } else if (v instanceof String s) {
        string(s);
      } else if (v instanceof Long l) {
        putInt(8);
        putLong(l);
      } else if (v instanceof Double d) {
        if (d.isNaN() || d.isInfinite()) {
          throw new IllegalArgumentException("not a finite double");
        }
        putInt(8);
        putLong(Double.doubleToRawLongBits(d));
      } else if (v instanceof Boolean b) {
        putInt(1);
        ensure(1);
        buf[pos++] = (byte) (b ? 1 : 0);
      } else if (v instanceof Instant t) {
        putInt(8);
        putLong(micros(t));
      } else {
        throw new IllegalArgumentException("not a load value: " + v.getClass().getName());
      }
    }
  }

  /** Writes the trailer and everything buffered, and flushes. */
  void finish() throws IOException {
    ensure(2);
    buf[pos++] = (byte) 0xff;
    buf[pos++] = (byte) 0xff;
    drain();
    out.flush();
  }

  /** Microseconds since 2000-01-01 UTC; finer digits are dropped (the values have none). */
  private static long micros(Instant t) {
    long seconds = t.getEpochSecond() - PG_EPOCH_SECONDS;
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), t.getNano() / 1000);
  }

  /** The length, then the UTF-8 bytes. */
  private void string(String s) throws IOException {
    int n = s.length();
    if (4 + 3 * n <= buf.length) {
      // Room for the worst case: encode in place, then fill in the length.
      ensure(4 + 3 * n);
      int lengthAt = pos;
      pos += 4;
      int start = pos;
      encode(s, n);
      int length = pos - start;
      buf[lengthAt] = (byte) (length >>> 24);
      buf[lengthAt + 1] = (byte) (length >>> 16);
      buf[lengthAt + 2] = (byte) (length >>> 8);
      buf[lengthAt + 3] = (byte) length;
      return;
    }
    putInt(LengthUnit.utf8Length(s));
    for (int from = 0; from < n; ) {
      // A chunk that fits the buffer, not ending between the two halves of a pair.
      int to = Math.min(n, from + (buf.length / 3) - 1);
      if (to < n && Character.isHighSurrogate(s.charAt(to - 1))) {
        to++;
      }
      ensure(3 * (to - from) + 3);
      encodeRange(s, from, to);
      from = to;
    }
  }

  private void encode(String s, int n) {
    encodeRange(s, 0, n);
  }

  private void encodeRange(String s, int from, int to) {
    byte[] b = buf;
    int p = pos;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == 0) {
          throw new IllegalArgumentException("a string has a NUL character");
        }
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        char low = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
          throw new IllegalArgumentException("a string has an unpaired surrogate");
        }
        int cp = Character.toCodePoint(c, low);
        i++;
        b[p++] = (byte) (0xf0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    pos = p;
  }

  private void putInt(int v) throws IOException {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putLong(long v) throws IOException {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
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
      pos = 0;
    }
  }
}
