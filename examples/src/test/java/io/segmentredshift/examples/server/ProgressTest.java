package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong();

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void notOnATerminalPrintsAPlainLineEveryInterval() {
    Progress p = new Progress(out, false, Duration.ofSeconds(10), now::get, 4, 400);
    now.set(Duration.ofSeconds(5).toNanos());
    p.events(1000);
    assertEquals("", printed());
    now.set(Duration.ofSeconds(10).toNanos());
    p.fileDone(100);
    assertEquals("progress: 1/4 files, 1,000 events, 100 events/s, ETA 30s\n", printed());
    now.set(Duration.ofSeconds(15).toNanos());
    p.events(500);
    assertEquals(1, printed().split("\n").length);
    now.set(Duration.ofSeconds(20).toNanos());
    p.fileDone(100);
    assertEquals(
        "progress: 1/4 files, 1,000 events, 100 events/s, ETA 30s\n"
            + "progress: 2/4 files, 1,500 events, 75 events/s, ETA 20s\n",
        printed());
    assertFalse(printed().contains("\r"));
  }

  @Test
  void onATerminalRedrawsOneLineAndKeepsMessagesAboveIt() {
    Progress p = new Progress(out, true, Duration.ofSeconds(10), now::get, 2, 200);
    now.set(Duration.ofSeconds(1).toNanos());
    p.fileDone(100);
    String bar = "\r[############------------] 1/2 files, 0 events, 0 events/s, ETA 1s";
    assertEquals(bar, printed());
    p.message("file.gz: NOT_JSON: bad (line 2)");
    assertEquals(
        bar + "\r" + " ".repeat(bar.length()) + "\r" + "file.gz: NOT_JSON: bad (line 2)\n" + bar,
        printed());
    p.finish();
    assertTrue(printed().endsWith("\r" + " ".repeat(bar.length()) + "\r"));
    assertFalse(printed().contains("progress:"));
  }

  @Test
  void redrawsAtMostFourTimesASecond() {
    Progress p = new Progress(out, true, Duration.ofSeconds(10), now::get, 1, 0);
    for (int i = 1; i <= 100; i++) {
      now.set(i * 10_000_000L);
      p.events(1);
    }
    assertEquals(4, printed().chars().filter(c -> c == '\r').count());
  }
}
