package io.segmentredshift.event;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads newline-delimited JSON, one Segment message per line, plain or gzip-compressed, in
 * stretches of lines. A bad line is rejected with its line number and reading goes on; blank lines
 * are skipped. A line longer than {@link EventLimits#maxEventBytes()} is rejected ({@code
 * TOO_LARGE}) and skipped without being held in memory. A corrupt or truncated gzip stream ends the
 * stream with one rejected entry ({@code BAD_COMPRESSION} or {@code TRUNCATED}).
 *
 * <pre>{@code
 * try (NdjsonReader reader = parser.ndjson(Files.newInputStream(path))) {
 *   for (ParseResult r = reader.read(1000); !r.events().isEmpty() || !r.rejected().isEmpty();
 *       r = reader.read(1000)) {
 *     load(r.events());
 *     r.rejected().forEach(e -> log.warn("skipped: {}", e.getMessage()));
 *   }
 * }
 * }</pre>
 *
 * Not thread-safe.
 */
public final class NdjsonReader implements Closeable {
  private static final int CHUNK = 64 * 1024;

  private final EventParser parser;
  private final InputStream source;
  private final int maxLine;
  private final int capacity;
  private InputStream in;
  private boolean gzip;
  private byte[] buf = new byte[CHUNK];
  private int start;
  private int scan;
  private int end;
  private long line;
  private boolean eof;
  private boolean done;
  private boolean skipping;

  NdjsonReader(EventParser parser, InputStream source) {
    this.parser = parser;
    this.source = source;
    this.maxLine = parser.limits().maxEventBytes();
    // Room for one whole line plus a read; no more is ever needed.
    this.capacity = (int) Math.min((long) maxLine + CHUNK, Integer.MAX_VALUE - 8);
  }

  /**
   * Reads up to {@code maxLines} more non-blank lines. A result with no events and no rejected
   * lines means the stream has ended.
   *
   * @throws IOException when reading the underlying stream fails
   */
  public ParseResult read(int maxLines) throws IOException {
    if (maxLines <= 0) {
      throw new IllegalArgumentException("maxLines <= 0: " + maxLines);
    }
    Instant now = parser.now();
    List<Event> events = new ArrayList<>();
    List<MalformedEventException> rejected = new ArrayList<>();
    while (events.size() + rejected.size() < maxLines) {
      Object next = next(now);
      if (next == null) {
        break;
      }
      if (next instanceof Event e) {
        events.add(e);
      } else {
        rejected.add((MalformedEventException) next);
      }
    }
    return new ParseResult(events, rejected, null);
  }

  /** The number of lines read so far, blank and rejected ones included. */
  public long lines() {
    return line;
  }

  /** Closes the underlying stream. */
  @Override
  public void close() throws IOException {
    done = true;
    (in == null ? source : in).close();
  }

  /** The next line's event or rejection, or null at the end. */
  private Object next(Instant now) throws IOException {
    if (done) {
      return null;
    }
    try {
      if (in == null) {
        in = open();
      }
      while (true) {
        int nl = indexOfNewline();
        if (nl >= 0 || eof) {
          int lineEnd = nl >= 0 ? nl : end;
          if (nl < 0 && start == end && !skipping) {
            done = true;
            return null;
          }
          long number = ++line;
          int lineStart = start;
          start = nl >= 0 ? nl + 1 : end;
          scan = start;
          if (skipping) {
            skipping = false;
            return tooLong(number);
          }
          if (!blank(lineStart, lineEnd)) {
            return parser.line(buf, lineStart, lineEnd - lineStart, now, number);
          }
          continue;
        }
        if (end - start > maxLine) {
          // Too long to be a message: forget it, and skip to its end.
          skipping = true;
          start = 0;
          scan = 0;
          end = 0;
        }
        fill();
      }
    } catch (ZipException e) {
      return fail(Reason.BAD_COMPRESSION, "the gzip stream is corrupt");
    } catch (EOFException e) {
      if (!gzip) {
        throw e;
      }
      return fail(Reason.TRUNCATED, "the gzip stream ends unexpectedly");
    }
  }

  private InputStream open() throws IOException {
    PushbackInputStream pushback = new PushbackInputStream(source, 2);
    byte[] magic = pushback.readNBytes(2);
    pushback.unread(magic);
    gzip = magic.length == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b;
    return gzip ? new GZIPInputStream(pushback, CHUNK) : pushback;
  }

  private int indexOfNewline() {
    for (int i = scan; i < end; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    scan = end;
    return -1;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scan -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, capacity));
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  private boolean blank(int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private MalformedEventException tooLong(long number) {
    return new MalformedEventException(
        Reason.TOO_LARGE, "larger than " + maxLine + " bytes", "", -1, number);
  }

  private MalformedEventException fail(Reason reason, String detail) {
    done = true;
    return new MalformedEventException(reason, detail, "", -1, line + 1);
  }
}
