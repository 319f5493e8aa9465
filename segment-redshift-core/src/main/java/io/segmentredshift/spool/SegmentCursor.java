package io.segmentredshift.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file in order through a bounded buffer, checking each one, and
 * stops at the first record that is not whole and intact. Used by recovery (to find where the good
 * prefix ends) and by {@link RecordReader}. Not thread-safe.
 */
final class SegmentCursor {
  /**
   * What {@link #next} found. Everything but {@code RECORD} and {@code END} ends the good prefix.
   */
  enum Outcome {
    RECORD,
    END,
    SHORT_HEADER,
    BAD_LENGTH,
    SHORT_PAYLOAD,
    CHECKSUM_MISMATCH
  }

  private final FileChannel channel;
  private final long limit;
  private final ByteBuffer buffer;
  private final CRC32C crc = new CRC32C();
  private long readPosition;
  private long goodBytes;
  private byte[] payload;

  /**
   * A cursor over the first {@code limit} bytes of {@code channel}, reading through a heap buffer
   * of {@code bufferBytes}; records larger than that stream through it.
   */
  SegmentCursor(FileChannel channel, long limit, int bufferBytes) {
    this.channel = channel;
    this.limit = limit;
    this.buffer = ByteBuffer.allocate(Math.max(bufferBytes, SegmentFormat.HEADER_BYTES));
    buffer.flip();
  }

  /**
   * Moves to the next record. On {@code RECORD} the payload is available from {@link #payload()}
   * when {@code keepPayload} is set; on anything else the cursor is finished.
   */
  Outcome next(boolean keepPayload) throws IOException {
    payload = null;
    long remaining = limit - goodBytes;
    if (remaining == 0) {
      return Outcome.END;
    }
    if (remaining < SegmentFormat.HEADER_BYTES) {
      return Outcome.SHORT_HEADER;
    }
    ensure(SegmentFormat.HEADER_BYTES);
    int length = buffer.getInt();
    int stored = buffer.getInt();
    if (length < 0 || length > SegmentFormat.MAX_RECORD_BYTES) {
      return Outcome.BAD_LENGTH;
    }
    if (length > remaining - SegmentFormat.HEADER_BYTES) {
      return Outcome.SHORT_PAYLOAD;
    }
    SegmentFormat.startChecksum(crc, length);
    byte[] bytes = keepPayload ? new byte[length] : null;
    int done = 0;
    while (done < length) {
      if (!buffer.hasRemaining()) {
        ensure(1);
      }
      int take = Math.min(buffer.remaining(), length - done);
      int at = buffer.arrayOffset() + buffer.position();
      crc.update(buffer.array(), at, take);
      if (bytes != null) {
        System.arraycopy(buffer.array(), at, bytes, done, take);
      }
      buffer.position(buffer.position() + take);
      done += take;
    }
    if ((int) crc.getValue() != stored) {
      return Outcome.CHECKSUM_MISMATCH;
    }
    goodBytes += SegmentFormat.framedSize(length);
    payload = bytes;
    return Outcome.RECORD;
  }

  /** The payload of the record {@link #next} just returned, if it was asked to keep it. */
  byte[] payload() {
    return payload;
  }

  /** Bytes from the start of the file to the end of the last good record. */
  long goodBytes() {
    return goodBytes;
  }

  /** Makes at least {@code n} unread bytes available; the caller checked they exist in limit. */
  private void ensure(int n) throws IOException {
    if (buffer.remaining() >= n) {
      return;
    }
    buffer.compact();
    while (buffer.position() < n) {
      int read = channel.read(buffer, readPosition);
      if (read < 0) {
        buffer.flip();
        throw new EOFException("segment file shorter than expected at byte " + readPosition);
      }
      readPosition += read;
    }
    buffer.flip();
  }
}
