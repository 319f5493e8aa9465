package io.segmentredshift.spool;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A segment file that no longer changes: its records are waiting to be loaded. Read it with {@link
 * #reader()} or {@link #forEachRecord}, load what it holds, and once the load has committed hand it
 * to {@link Spool#release}, which deletes the file.
 *
 * <p>Segments are ordered by {@link #id()}: a higher id holds later appends. Thread-safe; several
 * readers may read one segment at the same time.
 */
public final class SealedSegment {
  private final Spool spool;
  private final long id;
  private final Path path;
  private final long sizeBytes;
  private final long recordCount;
  private final AtomicBoolean released = new AtomicBoolean();

  SealedSegment(Spool spool, long id, Path path, long sizeBytes, long recordCount) {
    this.spool = spool;
    this.id = id;
    this.path = path;
    this.sizeBytes = sizeBytes;
    this.recordCount = recordCount;
  }

  /**
   * The segment's id, increasing in append order. Ids continue after the highest one found on open;
   * a directory whose segments were all released may start again at 1, so ids are not unique across
   * the life of a directory and must not serve as load ids.
   */
  public long id() {
    return id;
  }

  /** The segment file. */
  public Path path() {
    return path;
  }

  /** Bytes of records in the file, headers included. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** Records in the file. */
  public long recordCount() {
    return recordCount;
  }

  /** Whether {@link Spool#release} has deleted this segment. */
  public boolean released() {
    return released.get();
  }

  /**
   * Opens a reader that streams the payloads from disk in append order. Fails with {@link
   * SpoolException.Reason#IO_ERROR} if the file cannot be opened (for instance once released).
   */
  public RecordReader reader() {
    return new RecordReader(this);
  }

  /** Reads every payload in append order and hands each to {@code action}. */
  public void forEachRecord(Consumer<? super byte[]> action) {
    Objects.requireNonNull(action, "action == null");
    try (RecordReader reader = reader()) {
      reader.forEachRemaining(action);
    }
  }

  Spool spool() {
    return spool;
  }

  /** Marks the segment released; true only for the first caller. */
  boolean markReleased() {
    return released.compareAndSet(false, true);
  }

  /** Undoes {@link #markReleased} when deleting the file failed, so release can be retried. */
  void unmarkReleased() {
    released.set(false);
  }

  @Override
  public String toString() {
    return "SealedSegment[" + path + ", " + recordCount + " records, " + sizeBytes + " bytes]";
  }
}
