package io.segmentredshift.spool;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The on-disk format of a segment file: a plain sequence of records, no file header.
 *
 * <pre>
 * record  = length  u32, big-endian: payload bytes, 0 .. {@link #MAX_RECORD_BYTES}
 *           crc     u32, big-endian: CRC32C over the 4 length bytes, then the payload
 *           payload length bytes, opaque
 * </pre>
 *
 * <p>The checksum covers the length as well as the payload so that a corrupted length is caught
 * even when it still points inside the file, and so that a zero-filled region (what a file system
 * may leave after a crash when the size reached disk but the data did not) never reads as an empty
 * record: the CRC32C of the four bytes {@code 00 00 00 00} is {@code 0x48674BC7}, not zero.
 *
 * <p>Files are named by a 20-digit, zero-padded segment id ({@code 00000000000000000001.seg}), so
 * the names sort in id order, which is append order.
 */
final class SegmentFormat {
  /** Bytes before each payload: length and checksum. */
  static final int HEADER_BYTES = 8;

  /**
   * The largest payload the format admits. A length above it can only be corruption; recovery cuts
   * the segment there without trying to read that far.
   */
  static final int MAX_RECORD_BYTES = 64 << 20;

  static final String SUFFIX = ".seg";
  private static final int ID_DIGITS = 20;

  private SegmentFormat() {}

  static String fileName(long id) {
    return String.format(Locale.ROOT, "%0" + ID_DIGITS + "d%s", id, SUFFIX);
  }

  /** The segment id a file name carries, or empty if the file is not a segment. */
  static OptionalLong parseId(String fileName) {
    if (fileName.length() != ID_DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < ID_DIGITS; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(fileName.substring(0, ID_DIGITS)));
    } catch (NumberFormatException overflow) {
      return OptionalLong.empty();
    }
  }

  /** Bytes a record with a payload of {@code payloadBytes} takes on disk. */
  static long framedSize(int payloadBytes) {
    return HEADER_BYTES + (long) payloadBytes;
  }

  /** Starts the checksum of a record: the length bytes. */
  static void startChecksum(CRC32C crc, int length) {
    crc.reset();
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
  }

  /** The checksum of a whole record. */
  static int checksum(CRC32C crc, byte[] payload) {
    startChecksum(crc, payload.length);
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** Writes a record's header into {@code buffer}. */
  static void putHeader(ByteBuffer buffer, int length, int checksum) {
    buffer.putInt(length).putInt(checksum);
  }
}
