package io.segmentredshift.benchmarks.harness;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An incremental reader of HTTP/1.1 responses that keeps only what a load generator needs: the
 * status code, where the response ends (Content-Length, chunked, or the end of the stream), and
 * whether the server closes the connection afterwards. Bodies are skipped, not stored.
 */
final class HttpResponseParser {
  private static final int MAX_LINE = 64 * 1024;

  private enum Phase {
    STATUS_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    UNTIL_CLOSE,
    DONE
  }

  private final boolean headRequest;
  private final byte[] line = new byte[MAX_LINE];
  private int lineLength;
  private Phase phase = Phase.STATUS_LINE;
  private int status;
  private boolean http10;
  private boolean closeAfter;
  private boolean keepAliveHeader;
  private boolean chunked;
  private long contentLength = -1;
  private boolean untilClose;
  private long remaining;

  HttpResponseParser(boolean headRequest) {
    this.headRequest = headRequest;
  }

  /** Prepares for the next response on the same connection. */
  void reset() {
    lineLength = 0;
    phase = Phase.STATUS_LINE;
    status = 0;
    http10 = false;
    closeAfter = false;
    keepAliveHeader = false;
    chunked = false;
    contentLength = -1;
    untilClose = false;
    remaining = 0;
  }

  /** The status code of the response read last. */
  int status() {
    return status;
  }

  /** Whether the server closes the connection after the response read last. */
  boolean closeAfter() {
    return closeAfter || (http10 && !keepAliveHeader) || untilClose;
  }

  /**
   * Consumes bytes up to the end of the current response.
   *
   * @return true once the response is complete; bytes after it stay in the buffer
   */
  boolean feed(ByteBuffer in) throws ProtocolException {
    while (phase != Phase.DONE && in.hasRemaining()) {
      switch (phase) {
        case FIXED_BODY, CHUNK_DATA -> {
          int skip = (int) Math.min(remaining, in.remaining());
          in.position(in.position() + skip);
          remaining -= skip;
          if (remaining == 0) {
            phase = phase == Phase.FIXED_BODY ? Phase.DONE : Phase.CHUNK_END;
          }
        }
        case UNTIL_CLOSE -> in.position(in.limit());
        default -> {
          if (readLine(in)) {
            onLine();
          }
        }
      }
    }
    return phase == Phase.DONE;
  }

  /**
   * Tells the parser that the server closed the stream.
   *
   * @return true if that completes a response whose end is the end of the stream
   */
  boolean endOfStream() {
    if (phase == Phase.UNTIL_CLOSE) {
      phase = Phase.DONE;
      return true;
    }
    return false;
  }

  private boolean readLine(ByteBuffer in) throws ProtocolException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b == '\n') {
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return true;
      }
      if (lineLength == MAX_LINE) {
        throw new ProtocolException("response line longer than " + MAX_LINE + " bytes");
      }
      line[lineLength++] = b;
    }
    return false;
  }

  private void onLine() throws ProtocolException {
    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    lineLength = 0;
    switch (phase) {
      case STATUS_LINE -> statusLine(text);
      case HEADERS -> {
        if (text.isEmpty()) {
          endOfHeaders();
        } else {
          header(text);
        }
      }
      case CHUNK_SIZE -> {
        int end = text.indexOf(';');
        String hex = (end < 0 ? text : text.substring(0, end)).trim();
        try {
          remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad chunk size");
        }
        if (remaining < 0) {
          throw new ProtocolException("bad chunk size");
        }
        phase = remaining == 0 ? Phase.TRAILERS : Phase.CHUNK_DATA;
      }
      case CHUNK_END -> {
        if (!text.isEmpty()) {
          throw new ProtocolException("chunk not followed by CRLF");
        }
        phase = Phase.CHUNK_SIZE;
      }
      case TRAILERS -> {
        if (text.isEmpty()) {
          phase = Phase.DONE;
        }
      }
      default -> throw new IllegalStateException(phase.name());
    }
  }

  private void statusLine(String text) throws ProtocolException {
    if (text.isEmpty()) {
      return; // tolerated between responses
    }
    if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
      throw new ProtocolException("not an HTTP/1.x status line");
    }
    http10 = text.charAt(7) == '0';
    try {
      status = Integer.parseInt(text.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new ProtocolException("bad status code");
    }
    phase = Phase.HEADERS;
  }

  private void header(String text) throws ProtocolException {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new ProtocolException("header without a colon");
    }
    String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "content-length" -> {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new ProtocolException("bad content-length");
        }
        if (contentLength < 0) {
          throw new ProtocolException("bad content-length");
        }
      }
      case "transfer-encoding" -> chunked = value.endsWith("chunked");
      case "connection" -> {
        closeAfter |= value.contains("close");
        keepAliveHeader |= value.contains("keep-alive");
      }
      default -> {
        // other headers do not change where the response ends
      }
    }
  }

  private void endOfHeaders() throws ProtocolException {
    if (status == 101) {
      throw new ProtocolException("unexpected protocol switch");
    }
    if (status >= 100 && status < 200) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      reset();
      return;
    }
    if (headRequest || status == 204 || status == 304) {
      phase = Phase.DONE;
    } else if (chunked) {
      phase = Phase.CHUNK_SIZE;
    } else if (contentLength >= 0) {
      remaining = contentLength;
      phase = remaining == 0 ? Phase.DONE : Phase.FIXED_BODY;
    } else {
      untilClose = true;
      phase = Phase.UNTIL_CLOSE;
    }
  }
}
