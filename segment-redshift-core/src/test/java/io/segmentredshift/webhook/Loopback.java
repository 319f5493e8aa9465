package io.segmentredshift.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP on loopback for the container tests: a real {@link HttpClient}, and raw sockets for what a
 * well-behaved client never sends (huge declared lengths, truncated and trickling bodies).
 */
public final class Loopback {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Loopback() {}

  /** A client that speaks HTTP/1.1 only, as Segment and the analytics libraries do. */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** A response read from a raw socket. */
  public record Raw(int status, Map<String, String> headers, byte[] body) {
    /** The body as JSON. */
    public JsonNode json() {
      return Loopback.json(body);
    }

    /** A header by name, ignoring case. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Parses JSON bytes. */
  public static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(new String(body, StandardCharsets.UTF_8), e);
    }
  }

  /** Parses a response body as JSON. */
  public static JsonNode json(HttpResponse<byte[]> response) {
    return json(response.body());
  }

  /** Sends {@code request} and returns the answer, failing the test on an I/O error. */
  public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Opens a socket to the server of {@code base} with a read timeout. */
  public static Socket connect(URI base, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    return socket;
  }

  /** The request line and headers of a request to {@code path} under {@code base}. */
  public static byte[] head(URI base, String method, String path, String... headerLines) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(base.getPath()).append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
    for (String line : headerLines) {
      b.append(line).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Writes bytes and flushes. */
  public static void write(Socket socket, byte[]... parts) throws IOException {
    OutputStream out = socket.getOutputStream();
    for (byte[] part : parts) {
      out.write(part);
    }
    out.flush();
  }

  /**
   * Reads one response (a body by Content-Length or chunked, or up to EOF).
   *
   * @throws IOException on a timeout or when the connection closes before a status line
   */
  public static Raw read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String status = line(in);
    if (status == null) {
      throw new IOException("the connection closed without an answer");
    }
    Map<String, String> headers = new TreeMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
          size > 0;
          size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
        out.write(in.readNBytes(size));
        line(in);
      }
      line(in);
      body = out.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Raw(Integer.parseInt(status.split(" ")[1]), headers, body);
  }

  /** True once the server has closed the connection (EOF or reset) within the read timeout. */
  public static boolean closedByServer(Socket socket) {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Reads and drops what the server sends until it closes the connection; false if it is still open
   * after {@code within}.
   */
  public static boolean endedByServer(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    try {
      while (socket.getInputStream().read() >= 0) {
        // An answer (a 408) may come before the close.
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        int end = b.length();
        return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }
}
