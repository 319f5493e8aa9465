package io.segmentredshift.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a CSV file as Redshift's COPY ... CSV does, on bytes (so invalid UTF-8 and
 * NUL bytes are seen, not lost): fields are separated by the delimiter; a quoted field may hold
 * delimiters, newlines and doubled quotes; white space between a delimiter and a quote is ignored;
 * a record ends at a newline ({@code \n} or {@code \r\n}) outside quotes.
 */
final class CsvReader {
  /**
   * One record.
   *
   * @param firstLine the physical line the record starts on (1-based)
   * @param raw the record's bytes without its line end
   * @param fields each field's bytes, quotes removed
   * @param error why the record is malformed, or null
   * @param nulAt the offset in {@code raw} of the first NUL byte, or -1
   */
  record CsvRecord(long firstLine, byte[] raw, List<byte[]> fields, String error, int nulAt) {}

  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    AFTER_QUOTE,
    SKIP
  }

  private final PushbackInputStream in;
  private final int delimiter;
  private final int quote;
  private long line = 1;

  CsvReader(InputStream in, char delimiter, char quote) {
    this.in = new PushbackInputStream(in, 1);
    this.delimiter = delimiter;
    this.quote = quote;
  }

  /** Skips whole physical lines (IGNOREHEADER). */
  void skipLines(int lines) throws IOException {
    for (int i = 0; i < lines; i++) {
      int c = in.read();
      while (c >= 0 && c != '\n') {
        c = in.read();
      }
      if (c < 0) {
        return;
      }
      line++;
    }
  }

  /** The next record, or null at the end of the file. */
  CsvRecord next() throws IOException {
    int c = in.read();
    if (c < 0) {
      return null;
    }
    long first = line;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    ByteArrayOutputStream blanks = new ByteArrayOutputStream();
    List<byte[]> fields = new ArrayList<>();
    String error = null;
    int nulAt = -1;
    State state = State.FIELD_START;
    while (true) {
      if (c < 0) {
        if (state == State.QUOTED) {
          error = "Unterminated quoted field at end of file";
        }
        break;
      }
      if (state != State.QUOTED && isLineEnd(c)) {
        break;
      }
      if (c == 0 && nulAt < 0) {
        nulAt = raw.size();
      }
      if (c == '\n') {
        line++;
      }
      raw.write(c);
      switch (state) {
        case FIELD_START -> {
          if (c == quote) {
            blanks.reset();
            state = State.QUOTED;
          } else if ((c == ' ' || c == '\t') && c != delimiter) {
            blanks.write(c);
          } else {
            blanks.writeTo(field);
            blanks.reset();
            if (c == delimiter) {
              fields.add(field.toByteArray());
              field.reset();
            } else {
              field.write(c);
              state = State.UNQUOTED;
            }
          }
        }
        case UNQUOTED -> {
          if (c == delimiter) {
            fields.add(field.toByteArray());
            field.reset();
            state = State.FIELD_START;
          } else {
            field.write(c);
          }
        }
        case QUOTED -> {
          if (c == quote) {
            int n = in.read();
            if (n == quote) {
              raw.write(n);
              field.write(quote);
            } else {
              unread(n);
              state = State.AFTER_QUOTE;
            }
          } else {
            field.write(c);
          }
        }
        case AFTER_QUOTE -> {
          if (c == delimiter) {
            fields.add(field.toByteArray());
            field.reset();
            state = State.FIELD_START;
          } else if (c != ' ' && c != '\t') {
            error = "Invalid quote formatting for CSV";
            state = State.SKIP;
          }
        }
        case SKIP -> {
          // the rest of a malformed record, up to its line end
        }
      }
      c = in.read();
    }
    blanks.writeTo(field);
    fields.add(field.toByteArray());
    return new CsvRecord(first, raw.toByteArray(), fields, error, nulAt);
  }

  /** True at a line end outside quotes: consumes {@code \n}, or {@code \r\n} as one. */
  private boolean isLineEnd(int c) throws IOException {
    if (c == '\n') {
      line++;
      return true;
    }
    if (c == '\r') {
      int n = in.read();
      if (n == '\n') {
        line++;
        return true;
      }
      unread(n);
    }
    return false;
  }

  private void unread(int c) throws IOException {
    if (c >= 0) {
      in.unread(c);
    }
  }
}
