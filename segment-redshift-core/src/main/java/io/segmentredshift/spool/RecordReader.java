package io.segmentredshift.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the records of one {@link SealedSegment} from disk in append order, one payload at a
 * time, through a bounded buffer: only the current record is on the heap. Each record's checksum is
 * checked again; if a sealed file was damaged after it was written, the reader logs an error and
 * ends at the last intact record, the same rule recovery applies on open.
 *
 * <p>Not thread-safe: one reader per thread. Close it (try-with-resources) to release the file.
 */
public final class RecordReader implements Iterator<byte[]>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordReader.class);
  private static final int BUFFER_BYTES = 64 << 10;

  private final SealedSegment segment;
  private final FileChannel channel;
  private final SegmentCursor cursor;
  private byte[] next;
  private boolean finished;

  RecordReader(SealedSegment segment) {
    this.segment = segment;
    try {
      this.channel = FileChannel.open(segment.path(), StandardOpenOption.READ);
    } catch (IOException e) {
      throw new SpoolException(
          SpoolException.Reason.IO_ERROR, "cannot open segment " + segment.path(), null, e);
    }
    this.cursor = new SegmentCursor(channel, segment.sizeBytes(), BUFFER_BYTES);
  }

  /** Whether another record follows; reads it from disk if needed. */
  @Override
  public boolean hasNext() {
    if (next == null && !finished) {
      advance();
    }
    return next != null;
  }

  /** The next record's payload, a fresh array the caller owns. */
  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    byte[] record = next;
    next = null;
    return record;
  }

  /** Closes the file. */
  @Override
  public void close() {
    finished = true;
    next = null;
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void advance() {
    SegmentCursor.Outcome outcome;
    try {
      outcome = cursor.next(true);
    } catch (IOException e) {
      finished = true;
      throw new SpoolException(
          SpoolException.Reason.IO_ERROR, "cannot read segment " + segment.path(), null, e);
    }
    if (outcome == SegmentCursor.Outcome.RECORD) {
      next = cursor.payload();
      return;
    }
    finished = true;
    if (outcome != SegmentCursor.Outcome.END) {
      LOG.error(
          "Sealed segment {} is damaged ({}) at byte {}: {} of its {} bytes cannot be read and"
              + " are skipped",
          segment.path(),
          outcome,
          cursor.goodBytes(),
          segment.sizeBytes() - cursor.goodBytes(),
          segment.sizeBytes());
    }
  }
}
