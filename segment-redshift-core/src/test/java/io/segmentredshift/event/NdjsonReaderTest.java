package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.CLOCK;
import static io.segmentredshift.event.Fixtures.parser;
import static io.segmentredshift.event.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {
  private static String line(int i) {
    return "{\"type\":\"track\",\"messageId\":\"m-"
        + i
        + "\",\"userId\":\"u\",\"event\":\"E\",\"receivedAt\":\"2024-03-05T10:00:00Z\"}";
  }

  private static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the whole stream in stretches of {@code n}. */
  private static List<Object> readAll(NdjsonReader reader, int n) throws IOException {
    List<Object> all = new ArrayList<>();
    for (ParseResult r = reader.read(n);
        !r.events().isEmpty() || !r.rejected().isEmpty();
        r = reader.read(n)) {
      assertTrue(r.events().size() + r.rejected().size() <= n);
      all.addAll(r.events());
      all.addAll(r.rejected());
    }
    return all;
  }

  @Test
  void readsLinesInStretchesAndSkipsBlankOnes() throws IOException {
    String text = line(1) + "\n\n  \r\n" + line(2) + "\r\n" + line(3) + "\n" + line(4);
    try (NdjsonReader reader = parser().ndjson(new ByteArrayInputStream(utf8(text)))) {
      ParseResult first = reader.read(3);
      assertEquals(
          List.of("m-1", "m-2", "m-3"), first.events().stream().map(Event::messageId).toList());
      ParseResult second = reader.read(3);
      assertEquals(List.of("m-4"), second.events().stream().map(Event::messageId).toList());
      ParseResult end = reader.read(3);
      assertEquals(List.of(), end.events());
      assertEquals(List.of(), end.rejected());
      assertEquals(6, reader.lines());
    }
  }

  @Test
  void rejectsBadLinesWithTheirNumberAndKeepsReading() throws IOException {
    String text =
        line(1) + "\n{not json\n" + line(3) + "\n{\"type\":\"track\"}\n[1]\n" + line(6) + "\n";
    List<Object> all = readAll(parser().ndjson(new ByteArrayInputStream(utf8(text))), 2);
    List<MalformedEventException> rejected =
        all.stream()
            .filter(MalformedEventException.class::isInstance)
            .map(MalformedEventException.class::cast)
            .toList();
    assertEquals(
        List.of(2L, 4L, 5L), rejected.stream().map(MalformedEventException::line).toList());
    assertEquals(
        List.of(Reason.NOT_JSON, Reason.MISSING_FIELD, Reason.NOT_AN_OBJECT),
        rejected.stream().map(MalformedEventException::reason).toList());
    assertTrue(rejected.get(0).getMessage().contains("line 2"), rejected.get(0).getMessage());
    assertEquals(3, all.size() - rejected.size());
  }

  @Test
  void decompressesGzipIncludingSeveralMembers() throws IOException {
    byte[] a = gzip(utf8(line(1) + "\n" + line(2) + "\n"));
    byte[] b = gzip(utf8(line(3) + "\n"));
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    List<Object> all = readAll(parser().ndjson(new ByteArrayInputStream(both)), 10);
    assertEquals(
        List.of("m-1", "m-2", "m-3"), all.stream().map(o -> ((Event) o).messageId()).toList());
  }

  @Test
  void endsWithOneRejectionOnACorruptOrTruncatedGzipStream() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append(line(i)).append('\n');
    }
    byte[] z = gzip(utf8(text.toString()));
    byte[] truncated = Arrays.copyOf(z, z.length / 2);
    List<Object> cut = readAll(parser().ndjson(new ByteArrayInputStream(truncated)), 500);
    Object last = cut.get(cut.size() - 1);
    assertEquals(Reason.TRUNCATED, ((MalformedEventException) last).reason());
    assertTrue(cut.size() > 10, "the lines before the cut are read");

    byte[] corrupt = z.clone();
    for (int i = 100; i < 200; i++) {
      corrupt[i] = (byte) 0x55;
    }
    List<Object> bad = readAll(parser().ndjson(new ByteArrayInputStream(corrupt)), 500);
    assertEquals(
        Reason.BAD_COMPRESSION, ((MalformedEventException) bad.get(bad.size() - 1)).reason());
  }

  @Test
  void skipsAnOverlongLineWithoutHoldingIt() throws IOException {
    EventParser parser = EventParser.create(EventLimits.defaults().withMaxEventBytes(1024), CLOCK);
    byte[] head = utf8(line(1) + "\n{\"type\":\"track\",\"x\":\"");
    byte[] tail = utf8("\"}\n" + line(3) + "\n");
    long middle = 64L * 1024 * 1024;
    InputStream in =
        new InputStream() {
          long position;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            long total = head.length + middle + tail.length;
            if (position >= total) {
              return -1;
            }
            int n = (int) Math.min(len, total - position);
            for (int i = 0; i < n; i++, position++) {
              long p = position;
              b[off + i] =
                  p < head.length
                      ? head[(int) p]
                      : p < head.length + middle
                          ? (byte) 'x'
                          : tail[(int) (p - head.length - middle)];
            }
            return n;
          }
        };
    List<Object> all = readAll(parser.ndjson(in), 10);
    assertEquals(3, all.size());
    assertEquals("m-1", ((Event) all.get(0)).messageId());
    assertEquals("m-3", ((Event) all.get(1)).messageId());
    MalformedEventException tooLarge = (MalformedEventException) all.get(2);
    assertEquals(Reason.TOO_LARGE, tooLarge.reason());
    assertEquals(2, tooLarge.line());
  }

  @Test
  void rejectsAnOverlongLastLineWithoutNewline() throws IOException {
    EventParser parser = EventParser.create(EventLimits.defaults().withMaxEventBytes(100), CLOCK);
    List<Object> all =
        readAll(parser.ndjson(new ByteArrayInputStream(utf8(line(1) + "\n" + "y".repeat(300)))), 5);
    assertEquals(2, all.size());
    assertEquals(2, ((MalformedEventException) all.get(1)).line());
  }

  @Test
  void passesOnFailuresOfTheUnderlyingStream() {
    IOException boom = new IOException("disk");
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw boom;
          }
        };
    NdjsonReader reader = parser().ndjson(failing);
    assertSame(boom, assertThrows(IOException.class, () -> reader.read(1)));
    assertThrows(IllegalArgumentException.class, () -> reader.read(0));
  }
}
