package io.segmentredshift.benchmarks.harness;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link LoadGenerator} sends, how hard and for how long. Start from {@link #of(URI, Path)}
 * and change what differs from the defaults: {@code POST}, 16 connections on one thread, 5 s
 * warm-up, 10 s measured, one body per line of the bodies file, a 10 s response timeout.
 *
 * @param url where to send, {@code http://host:port/path}
 * @param method the request method
 * @param headers extra request headers, each {@code "Name: value"}; Host and Content-Length are
 *     added by the generator
 * @param bodies the file holding the request bodies
 * @param bodyPerLine true: each line of the file is one body, used in turn, so that every request
 *     can carry its own messageId; false: the whole file is the one body of every request
 * @param connections keep-alive connections, each with one request in flight (a closed loop)
 * @param threads threads sharing the connections, each with its own selector
 * @param warmup how long to send before measuring
 * @param duration how long to measure; with {@code maxRequests} the longest the measurement may
 *     take
 * @param maxRequests 0, or how many requests to send in the measured window, after which it ends;
 *     with no warm-up and as many bodies as requests, each body is sent exactly once
 * @param timeout how long a response may take before it counts as an error and the connection is
 *     opened anew
 * @param signatureHeader null, or the header that carries the hex HMAC-SHA1 of each body (for
 *     Segment's {@code X-Signature}), computed once per body before the run starts
 * @param secretFile the file holding the HMAC secret (UTF-8, without a trailing newline), when
 *     {@code signatureHeader} is set
 */
public record LoadOptions(
    URI url,
    String method,
    List<String> headers,
    Path bodies,
    boolean bodyPerLine,
    int connections,
    int threads,
    Duration warmup,
    Duration duration,
    long maxRequests,
    Duration timeout,
    String signatureHeader,
    Path secretFile) {

  /** Checks the options and copies the header list. */
  public LoadOptions {
    if (url == null) {
      throw new NullPointerException("url == null");
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("url is not http://host[:port]/path: " + url);
    }
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("method is blank");
    }
    headers = List.copyOf(headers);
    for (String header : headers) {
      if (header.indexOf(':') <= 0 || header.contains("\r") || header.contains("\n")) {
        throw new IllegalArgumentException("header is not \"Name: value\": " + header);
      }
    }
    if (bodies == null) {
      throw new NullPointerException("bodies == null");
    }
    if (connections <= 0) {
      throw new IllegalArgumentException("connections <= 0: " + connections);
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads <= 0: " + threads);
    }
    if (threads > connections) {
      throw new IllegalArgumentException("threads > connections: " + threads);
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException("warmup < 0: " + warmup);
    }
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration <= 0: " + duration);
    }
    if (maxRequests < 0) {
      throw new IllegalArgumentException("maxRequests < 0: " + maxRequests);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout <= 0: " + timeout);
    }
    if ((signatureHeader == null) != (secretFile == null)) {
      throw new IllegalArgumentException("signatureHeader and secretFile go together");
    }
  }

  /** POSTs of each line of {@code bodies} in turn to {@code url}, with the defaults. */
  public static LoadOptions of(URI url, Path bodies) {
    return new LoadOptions(
        url,
        "POST",
        List.of("Content-Type: application/json"),
        bodies,
        true,
        16,
        1,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        0,
        Duration.ofSeconds(10),
        null,
        null);
  }

  /** These options sending to another URL, such as a server's on a port chosen at start. */
  public LoadOptions withUrl(URI url) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with another method. */
  public LoadOptions withMethod(String method) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with these headers instead of the current ones. */
  public LoadOptions withHeaders(List<String> headers) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with the whole bodies file as the one body of every request. */
  public LoadOptions withSingleBody() {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        false,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with another number of connections and threads. */
  public LoadOptions withConnections(int connections, int threads) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with another warm-up and measured duration. */
  public LoadOptions withTimes(Duration warmup, Duration duration) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options ending the measurement after {@code maxRequests} requests. */
  public LoadOptions withMaxRequests(long maxRequests) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options with another response timeout. */
  public LoadOptions withTimeout(Duration timeout) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  /** These options signing each body with HMAC-SHA1 into {@code header}. */
  public LoadOptions withSignature(String header, Path secretFile) {
    return new LoadOptions(
        url,
        method,
        headers,
        bodies,
        bodyPerLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        header,
        secretFile);
  }

  /** The command-line arguments {@link #parse} turns back into these options. */
  public List<String> toArguments() {
    List<String> args = new ArrayList<>();
    args.add("--url");
    args.add(url.toString());
    args.add("--method");
    args.add(method);
    for (String header : headers) {
      args.add("--header");
      args.add(header);
    }
    args.add(bodyPerLine ? "--bodies" : "--body");
    args.add(bodies.toString());
    args.add("--connections");
    args.add(Integer.toString(connections));
    args.add("--threads");
    args.add(Integer.toString(threads));
    args.add("--warmup");
    args.add(warmup.toMillis() + "ms");
    args.add("--duration");
    args.add(duration.toMillis() + "ms");
    if (maxRequests > 0) {
      args.add("--requests");
      args.add(Long.toString(maxRequests));
    }
    args.add("--timeout");
    args.add(timeout.toMillis() + "ms");
    if (signatureHeader != null) {
      args.add("--hmac-sha1");
      args.add(signatureHeader);
      args.add("--secret-file");
      args.add(secretFile.toString());
    }
    return args;
  }

  /**
   * Reads command-line arguments: {@code --url URL} and {@code --bodies FILE} (one body per line)
   * or {@code --body FILE} (the whole file) are required; the others are {@code --method}, {@code
   * --header "Name: value"} (repeatable; on the command line there are no default headers), {@code
   * --connections}, {@code --threads}, {@code --warmup} and {@code --duration} (such as {@code 5s},
   * {@code 500ms}, {@code 2m}), {@code --requests}, {@code --timeout}, {@code --hmac-sha1 HEADER}
   * with {@code --secret-file FILE}.
   *
   * @throws IllegalArgumentException on an unknown option or a bad value
   */
  public static LoadOptions parse(String... args) {
    URI url = null;
    Path bodies = null;
    boolean perLine = true;
    LoadOptions defaults = of(URI.create("http://127.0.0.1/"), Path.of("-"));
    String method = defaults.method;
    List<String> headers = null;
    int connections = defaults.connections;
    int threads = defaults.threads;
    Duration warmup = defaults.warmup;
    Duration duration = defaults.duration;
    long maxRequests = 0;
    Duration timeout = defaults.timeout;
    String signatureHeader = null;
    Path secretFile = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("no value after " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--url" -> url = URI.create(value);
        case "--method" -> method = value;
        case "--header" -> {
          if (headers == null) {
            headers = new ArrayList<>();
          }
          headers.add(value);
        }
        case "--bodies" -> {
          bodies = Path.of(value);
          perLine = true;
        }
        case "--body" -> {
          bodies = Path.of(value);
          perLine = false;
        }
        case "--connections" -> connections = Integer.parseInt(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--warmup" -> warmup = duration(value);
        case "--duration" -> duration = duration(value);
        case "--requests" -> maxRequests = Long.parseLong(value);
        case "--timeout" -> timeout = duration(value);
        case "--hmac-sha1" -> signatureHeader = value;
        case "--secret-file" -> secretFile = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option: " + name);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    if (bodies == null) {
      throw new IllegalArgumentException("--bodies or --body is required");
    }
    return new LoadOptions(
        url,
        method,
        headers == null ? List.of() : headers,
        bodies,
        perLine,
        connections,
        threads,
        warmup,
        duration,
        maxRequests,
        timeout,
        signatureHeader,
        secretFile);
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration such as 5s, 500ms or 2m: " + text, e);
    }
  }
}
