package io.segmentredshift.examples.server;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.SegmentRedshiftException;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.load.RejectedEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code backfill}: loads Segment's S3 archive into the warehouse, file by file, in batches through
 * {@link SegmentRedshift#load}, skipping the files the ledger has. Malformed lines are reported
 * with their file and line and skipped; a file that cannot be read is reported and left for the
 * next run; a batch the warehouse refuses stops the run (what was committed stays, and the next run
 * goes on from the first file not in the ledger).
 */
final class BackfillCommand {
  /** Malformed lines shown in full; the rest are counted. */
  static final int SHOWN_MALFORMED = 20;

  private final BackfillConfig config;
  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final EventParser parser = EventParser.create();
  private long malformed;
  private long rejectedEvents;
  private long loadedEvents;
  private long discards;
  private long rows;

  BackfillCommand(BackfillConfig config, PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this.config = config;
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
  }

  /**
   * Runs the backfill and prints its summary.
   *
   * @return 0 when every file in range is loaded, 1 when a file could not be read
   * @throws CommandLineException when the archive or the warehouse is not usable, or a batch cannot
   *     be loaded
   */
  int run() {
    out.println("segment-redshift backfill");
    for (String line : config.describe()) {
      out.println("  " + line);
    }
    try (Warehouse warehouse = Warehouse.open(config.warehouse(), "backfill", out, b -> {});
        S3Client s3 = config.archive().s3() ? config.warehouse().s3().client() : null) {
      // Ctrl-C or SIGTERM in the middle: stop the embedded PostgreSQL too. The batch under way
      // rolls back, and the next run loads its file again.
      Thread hook = new Thread(warehouse::close, "segment-redshift-backfill-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return backfill(warehouse, s3);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM is shutting down already: the hook runs.
        }
      }
    }
  }

  private int backfill(Warehouse warehouse, S3Client s3) {
    ArchiveStore store = ArchiveStore.of(config.archive(), s3);
    List<ArchiveFile> inRange;
    try {
      inRange =
          ArchiveScanner.scan(
              store, config.archive().toString(), config.from(), config.to(), config.sourceIds());
    } catch (SdkException | UncheckedIOException e) {
      throw CommandLineException.failure(
          "cannot list the archive " + config.archive() + ": " + firstLine(e), e);
    }
    BackfillLedger ledger =
        new BackfillLedger(
            warehouse.dataSource(), config.warehouse().dialect(), config.warehouse().schema());
    try {
      ledger.open();
    } catch (SQLException e) {
      throw CommandLineException.failure("cannot read the ledger: " + firstLine(e), e);
    }
    List<ArchiveFile> todo = new ArrayList<>();
    long bytes = 0;
    for (ArchiveFile file : inRange) {
      if (!ledger.contains(file)) {
        todo.add(file);
        bytes += file.size();
      }
    }
    int skipped = inRange.size() - todo.size();
    out.printf(
        Locale.ROOT,
        "%d files in range, %d already loaded (skipped), %d to load (%s)%n",
        inRange.size(),
        skipped,
        todo.size(),
        size(bytes));
    Progress progress =
        new Progress(out, terminal, config.progressInterval(), nanoTime, todo.size(), bytes);
    int failed = load(warehouse.segment(), store, ledger, todo, progress);
    progress.finish();
    summary(progress.elapsed(), todo.size() - failed, skipped, failed);
    return failed == 0 ? 0 : CommandLineException.FAILURE;
  }

  private int load(
      SegmentRedshift segment,
      ArchiveStore store,
      BackfillLedger ledger,
      List<ArchiveFile> todo,
      Progress progress) {
    int failed = 0;
    for (ArchiveFile file : todo) {
      long discardsBefore = discards;
      ArchiveFileReader.Counts counts;
      try {
        counts =
            ArchiveFileReader.read(
                store,
                file,
                parser,
                config.warehouse().backfillBatchSize(),
                events -> {
                  LoadResult result = segment.load(events);
                  account(file, result, progress);
                  progress.events(result.eventCount() - result.rejectedEvents().size());
                },
                e -> malformed(file, e, progress));
      } catch (IOException | SdkException e) {
        failed++;
        progress.message("cannot read " + file.location() + ": " + firstLine(e));
        progress.fileDone(file.size());
        continue;
      } catch (SegmentRedshiftException e) {
        progress.finish();
        throw CommandLineException.failure(
            "loading "
                + file.location()
                + " failed: "
                + firstLine(e)
                + " (files loaded so far are in the ledger; run again to go on)",
            e);
      }
      try {
        ledger.record(
            file, counts.events(), counts.malformed(), discards - discardsBefore, Instant.now());
      } catch (SQLException e) {
        progress.finish();
        throw CommandLineException.failure(
            "cannot record " + file.key() + " in the ledger: " + firstLine(e), e);
      }
      progress.fileDone(file.size());
    }
    return failed;
  }

  private void account(ArchiveFile file, LoadResult result, Progress progress) {
    loadedEvents += result.eventCount() - result.rejectedEvents().size();
    discards += result.discards();
    rows += result.totalRows();
    for (RejectedEvent rejected : result.rejectedEvents()) {
      if (++rejectedEvents <= SHOWN_MALFORMED) {
        progress.message(
            "refused: "
                + file.location()
                + ": messageId "
                + rejected.messageId()
                + ": "
                + rejected.reason()
                + (rejected.pointer().isEmpty() ? "" : " (at " + rejected.pointer() + ")"));
      }
    }
  }

  private void malformed(ArchiveFile file, MalformedEventException e, Progress progress) {
    malformed++;
    if (malformed <= SHOWN_MALFORMED) {
      progress.message(
          "malformed: "
              + file.location()
              + " line "
              + e.line()
              + ": "
              + e.reason()
              + ": "
              + e.detail()
              + (e.pointer().isEmpty() ? "" : " (at " + e.pointer() + ")"));
    } else if (malformed == SHOWN_MALFORMED + 1) {
      progress.message("malformed: more malformed lines are counted, not shown");
    }
  }

  private void summary(Duration elapsed, int loadedFiles, int skipped, int failed) {
    double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
    out.println("backfill finished in " + Durations.format(elapsed));
    out.printf(
        Locale.ROOT,
        "  files     %d loaded, %d skipped (already loaded), %d failed%n",
        loadedFiles,
        skipped,
        failed);
    out.printf(
        Locale.ROOT,
        "  events    %,d loaded, %,d events/s%n",
        loadedEvents,
        Math.round(loadedEvents / seconds));
    out.printf(
        Locale.ROOT,
        "  rejected  %s, %s refused by Segment's rules%n",
        plural(malformed, "malformed line"),
        plural(rejectedEvents, "event"));
    out.printf(Locale.ROOT, "  discards  %,d values kept in _discards%n", discards);
    out.printf(Locale.ROOT, "  rows      %,d rows written%n", rows);
  }

  private static String plural(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static String size(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%,d KB", (bytes + 1023) / 1024);
    }
    return String.format(Locale.ROOT, "%,.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("");
  }
}
