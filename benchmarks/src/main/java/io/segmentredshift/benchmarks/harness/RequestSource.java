package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The requests a load generator sends: one fixed head (request line and headers) and bodies taken
 * in turn from a memory-mapped file, so that a million distinct bodies cost no heap. Each request's
 * head is written into a buffer of the connection, with its own Content-Length and, if asked, its
 * own signature header.
 */
final class RequestSource {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] prefix;
  private final byte[] signaturePrefix;
  private final MappedByteBuffer file;
  private final int[] starts;
  private final int[] lengths;
  private final byte[] signatures;
  private final AtomicLong next = new AtomicLong();

  private RequestSource(
      byte[] prefix,
      byte[] signaturePrefix,
      MappedByteBuffer file,
      int[] starts,
      int[] lengths,
      byte[] signatures) {
    this.prefix = prefix;
    this.signaturePrefix = signaturePrefix;
    this.file = file;
    this.starts = starts;
    this.lengths = lengths;
    this.signatures = signatures;
  }

  static RequestSource open(LoadOptions options) throws IOException {
    MappedByteBuffer file;
    try (FileChannel channel = FileChannel.open(options.bodies(), StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "bodies file larger than 2 GiB: " + options.bodies() + " (" + size + " bytes)");
      }
      file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
    int[] starts;
    int[] lengths;
    if (options.bodyPerLine()) {
      int[][] lines = lines(file);
      starts = lines[0];
      lengths = lines[1];
      if (starts.length == 0) {
        throw new IllegalArgumentException("no bodies in " + options.bodies());
      }
    } else {
      starts = new int[] {0};
      lengths = new int[] {file.capacity()};
    }
    byte[] signatures = null;
    byte[] signaturePrefix = null;
    if (options.signatureHeader() != null) {
      byte[] secret = Files.readAllBytes(options.secretFile());
      signatures = sign(file, starts, lengths, secret);
      signaturePrefix = (options.signatureHeader() + ": ").getBytes(StandardCharsets.US_ASCII);
    }
    return new RequestSource(prefix(options), signaturePrefix, file, starts, lengths, signatures);
  }

  private static byte[] prefix(LoadOptions options) {
    URI url = options.url();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path = path + "?" + url.getRawQuery();
    }
    StringBuilder head = new StringBuilder();
    head.append(options.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(url.getHost());
    if (url.getPort() >= 0) {
      head.append(':').append(url.getPort());
    }
    head.append("\r\n");
    for (String header : options.headers()) {
      head.append(header).append("\r\n");
    }
    head.append("Content-Length: ");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  // One body per line: '\n' ends a line, a '\r' before it is dropped, and empty lines are skipped.
  private static int[][] lines(ByteBuffer file) {
    int[] starts = new int[1024];
    int[] lengths = new int[1024];
    int n = 0;
    int start = 0;
    int size = file.capacity();
    for (int i = 0; i <= size; i++) {
      if (i == size || file.get(i) == '\n') {
        int end = i;
        if (end > start && file.get(end - 1) == '\r') {
          end--;
        }
        if (end > start) {
          if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            lengths = Arrays.copyOf(lengths, n * 2);
          }
          starts[n] = start;
          lengths[n] = end - start;
          n++;
        }
        start = i + 1;
      }
    }
    return new int[][] {Arrays.copyOf(starts, n), Arrays.copyOf(lengths, n)};
  }

  private static byte[] sign(ByteBuffer file, int[] starts, int[] lengths, byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] hex = new byte[starts.length * 40];
      for (int i = 0; i < starts.length; i++) {
        mac.update(file.slice(starts[i], lengths[i]));
        byte[] digest = mac.doFinal();
        for (int k = 0; k < digest.length; k++) {
          hex[i * 40 + 2 * k] = HEX[(digest[k] >> 4) & 0xf];
          hex[i * 40 + 2 * k + 1] = HEX[digest[k] & 0xf];
        }
      }
      return hex;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  /** How many distinct bodies there are. */
  int count() {
    return starts.length;
  }

  /** The index of the body the next request carries: each in turn, across all threads. */
  int nextIndex() {
    return (int) (next.getAndIncrement() % starts.length);
  }

  /** A buffer large enough for any request head. */
  ByteBuffer newHeadBuffer() {
    int signature = signaturePrefix == null ? 0 : signaturePrefix.length + 40 + 2;
    return ByteBuffer.allocateDirect(prefix.length + 20 + 2 + signature + 2);
  }

  /**
   * Writes the head of the request carrying body {@code index} into {@code head}, ready to send.
   */
  void head(int index, ByteBuffer head) {
    head.clear();
    head.put(prefix);
    putDecimal(head, lengths[index]);
    head.put(CRLF);
    if (signatures != null) {
      head.put(signaturePrefix);
      head.put(signatures, index * 40, 40);
      head.put(CRLF);
    }
    head.put(CRLF);
    head.flip();
  }

  /** The body {@code index}, as a new buffer over the mapped file. */
  ByteBuffer body(int index) {
    return file.slice(starts[index], lengths[index]);
  }

  private static void putDecimal(ByteBuffer head, int value) {
    if (value == 0) {
      head.put((byte) '0');
      return;
    }
    int digits = 0;
    for (int v = value; v > 0; v /= 10) {
      digits++;
    }
    int at = head.position() + digits;
    for (int v = value; v > 0; v /= 10) {
      head.put(--at, (byte) ('0' + v % 10));
    }
    head.position(head.position() + digits);
  }
}
