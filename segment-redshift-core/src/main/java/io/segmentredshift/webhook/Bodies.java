package io.segmentredshift.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads request bodies under a byte limit, never holding more than the limit plus one byte: the raw
 * body is cut at the limit, and a gzip body's decompressed bytes are cut at the same limit (a small
 * body that inflates to gigabytes stops there).
 */
final class Bodies {
  /** The body is over the limit (raw or decompressed). */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body over the limit", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private Bodies() {}

  /**
   * The body, decompressed when {@code gzip}. Does not close {@code in}.
   *
   * @throws TooLarge when the raw or the decompressed body is longer than {@code max}
   * @throws java.util.zip.ZipException when a gzip body is corrupt
   * @throws java.io.EOFException when a gzip body ends early
   */
  static byte[] read(InputStream in, boolean gzip, int max) throws IOException {
    int cap = max == Integer.MAX_VALUE ? max : max + 1;
    if (!gzip) {
      byte[] body = in.readNBytes(cap);
      if (body.length > max) {
        throw new TooLarge();
      }
      return body;
    }
    try (GZIPInputStream inflater = new GZIPInputStream(new Limited(in, max), 8192)) {
      byte[] body = inflater.readNBytes(cap);
      if (body.length > max) {
        throw new TooLarge();
      }
      return body;
    }
  }

  /** Fails once more than {@code max} bytes were read; closing it leaves the source open. */
  private static final class Limited extends FilterInputStream {
    private long remaining;

    Limited(InputStream in, int max) {
      super(in);
      this.remaining = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && --remaining < 0) {
        throw new TooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, (int) Math.min(len, remaining + 1));
      if (n > 0 && (remaining -= n) < 0) {
        throw new TooLarge();
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes count against the limit too.
      byte[] scratch = new byte[(int) Math.max(0, Math.min(n, 8192))];
      return Math.max(0, read(scratch, 0, scratch.length));
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // The adapter owns the source stream.
    }
  }
}
