package io.segmentredshift.examples.server;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.event.NdjsonReader;
import io.segmentredshift.event.ParseResult;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one archive file (gzipped NDJSON) in batches, streaming: at most one batch of events and
 * one line of text are in memory. A malformed line is handed to the reporter with its line number
 * and reading goes on.
 */
final class ArchiveFileReader {
  /** What a file held. */
  record Counts(long events, long malformed) {}

  private ArchiveFileReader() {}

  /**
   * Reads {@code file} from {@code store}, handing each batch of up to {@code batchSize} valid
   * events to {@code batches} (in file order) and each malformed line to {@code malformed}.
   *
   * @throws IOException when the file cannot be read (not for a malformed line or a corrupt gzip
   *     stream, which are reported)
   */
  static Counts read(
      ArchiveStore store,
      ArchiveFile file,
      EventParser parser,
      int batchSize,
      Consumer<List<Event>> batches,
      Consumer<MalformedEventException> malformed)
      throws IOException {
    long events = 0;
    long bad = 0;
    try (NdjsonReader reader = parser.ndjson(store.open(file.path()))) {
      while (true) {
        ParseResult r = reader.read(batchSize);
        if (r.events().isEmpty() && r.rejected().isEmpty()) {
          return new Counts(events, bad);
        }
        for (MalformedEventException e : r.rejected()) {
          bad++;
          malformed.accept(e);
        }
        if (!r.events().isEmpty()) {
          events += r.events().size();
          batches.accept(r.events());
        }
      }
    }
  }
}
