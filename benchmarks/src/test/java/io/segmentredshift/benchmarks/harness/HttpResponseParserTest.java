package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {
  private static final String FIXED =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
  private static final String CHUNKED =
      "HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
  private static final String CONTINUE_THEN_204 =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";

  @Test
  void readsAResponseWithContentLength() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(false);
    ByteBuffer in = bytes(FIXED + "HTTP/1.1");
    assertTrue(parser.feed(in));
    assertEquals(200, parser.status());
    assertFalse(parser.closeAfter());
    assertEquals(8, in.remaining(), "bytes after the response stay in the buffer");
  }

  @Test
  void readsAChunkedResponseWithExtensionsAndTrailers() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(false);
    ByteBuffer in = bytes(CHUNKED);
    assertTrue(parser.feed(in));
    assertEquals(401, parser.status());
    assertFalse(in.hasRemaining());
  }

  @Test
  void skipsInterimResponsesAndReadsNoBodyFor204() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(false);
    assertTrue(parser.feed(bytes(CONTINUE_THEN_204)));
    assertEquals(204, parser.status());
  }

  @Test
  void aHeadResponseHasNoBodyWhateverItsContentLength() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(true);
    assertTrue(parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n")));
  }

  @Test
  void aResponseWithoutLengthEndsWithTheStream() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(false);
    assertFalse(parser.feed(bytes("HTTP/1.1 503 Busy\r\nContent-Type: text/plain\r\n\r\nlater")));
    assertTrue(parser.endOfStream());
    assertEquals(503, parser.status());
    assertTrue(parser.closeAfter());
  }

  @Test
  void knowsWhenTheServerClosesTheConnection() throws ProtocolException {
    HttpResponseParser parser = new HttpResponseParser(false);
    assertTrue(
        parser.feed(bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")));
    assertTrue(parser.closeAfter());
    parser.reset();
    assertTrue(parser.feed(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")));
    assertTrue(parser.closeAfter(), "HTTP/1.0 closes unless it says keep-alive");
    parser.reset();
    assertTrue(
        parser.feed(
            bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")));
    assertFalse(parser.closeAfter());
  }

  @Test
  void rejectsWhatIsNotHttp() {
    for (String bad :
        new String[] {
          "SSH-2.0-OpenSSH\r\n",
          "HTTP/1.1 2x0 OK\r\n",
          "HTTP/1.1 200 OK\r\nno colon here\r\n",
          "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
          "HTTP/1.1 101 Switching Protocols\r\n\r\n"
        }) {
      HttpResponseParser parser = new HttpResponseParser(false);
      assertThrows(ProtocolException.class, () -> parser.feed(bytes(bad)), bad);
    }
  }

  @Property
  void anySplitOfTheStreamGivesTheSameResponses(@ForAll @IntRange(min = 1, max = 40) int pieceSize)
      throws ProtocolException {
    String stream = FIXED + CHUNKED + CONTINUE_THEN_204 + FIXED;
    byte[] all = stream.getBytes(StandardCharsets.ISO_8859_1);
    HttpResponseParser parser = new HttpResponseParser(false);
    List<Integer> statuses = new ArrayList<>();
    for (int from = 0; from < all.length; from += pieceSize) {
      ByteBuffer piece = ByteBuffer.wrap(all, from, Math.min(pieceSize, all.length - from));
      while (piece.hasRemaining()) {
        if (parser.feed(piece)) {
          statuses.add(parser.status());
          parser.reset();
        }
      }
    }
    assertEquals(List.of(200, 401, 204, 200), statuses);
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
