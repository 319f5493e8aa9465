package io.segmentredshift.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import io.segmentredshift.auth.AuthenticationException;
import io.segmentredshift.auth.SignatureVerifier;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventLimits;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.event.ParseResult;
import io.segmentredshift.spool.SpoolException;
import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface of segment-redshift, independent of any server: routes a request, checks its
 * method, content type and size, authenticates it, parses its events, hands them to an {@link
 * EventSink} and answers once they are durable. Transport adapters (the servlet and the Netty
 * module) only translate requests and responses. Thread-safe; one instance serves every connection.
 *
 * <pre>{@code
 * WebhookHandler handler = WebhookHandler.builder(EventSink.spool(spool))
 *     .secrets("segment-shared-secret")
 *     .writeKeys(WriteKeys.of(Map.of("wk_live_123", "shop")))
 *     .defaultSource("shop")
 *     .build();
 * }</pre>
 *
 * <p>The routes, status codes, limits and the rule for partly bad batches are described in
 * WEBHOOK.md beside this module's sources and in the {@linkplain io.segmentredshift.webhook package
 * documentation}. In short: 2xx only once the sink's future completed; 400, 401, 404, 405, 413 and
 * 415 for requests that retrying cannot fix (Segment drops them); 503 with {@code Retry-After} only
 * for transient conditions (spool full or closed, storage failures, shutting down), which Segment
 * retries for four hours.
 *
 * <p>{@link #handle} reads and parses on the calling thread and never waits for the sink: the
 * returned stage completes on the thread that completes the sink's future (the spool's writer), so
 * an adapter writes the answer from its own thread (Netty: the channel's event loop).
 */
public final class WebhookHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

  private final EventSink sink;
  private final SignatureVerifier verifier;
  private final WriteKeys writeKeys;
  private final boolean unauthenticated;
  private final String defaultSource;
  private final EventParser parser;
  private final Supplier<Health> health;
  private final Duration requestTimeout;
  private final Duration retryAfter;

  private final LongAdder requests = new LongAdder();
  private final LongAdder acceptedEvents = new LongAdder();
  private final LongAdder rejectedEvents = new LongAdder();
  private final LongAdder clientErrors = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean shuttingDown;

  private WebhookHandler(Builder b) {
    this.sink = b.sink;
    this.verifier = b.verifier;
    this.writeKeys = b.writeKeys;
    this.unauthenticated = b.unauthenticated;
    this.defaultSource = b.defaultSource;
    this.parser = EventParser.create(b.limits, b.clock);
    this.health = b.health;
    this.requestTimeout = b.requestTimeout;
    this.retryAfter = b.retryAfter;
  }

  /** A builder of a handler that stores accepted events in {@code sink}. */
  public static Builder builder(EventSink sink) {
    return new Builder(sink);
  }

  /**
   * The largest request body in bytes, before and after gzip decompression ({@link
   * EventLimits#maxRequestBytes()}). The handler never reads more than this plus one byte; an
   * adapter that buffers the body before calling {@link #handle} (Netty's aggregator, the servlet's
   * non-blocking read) stops at this limit and answers {@link #bodyTooLarge()}.
   */
  public int maxBodyBytes() {
    return parser.limits().maxRequestBytes();
  }

  /**
   * The longest a client may take to send one request once it has started; adapters close slower
   * connections (a body trickling in a byte at a time must not hold a connection for hours) and
   * answer {@link #bodyTimedOut()} when they still can.
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The answer for a body over {@link #maxBodyBytes()} that the adapter refused: 413. */
  public WebhookResponse bodyTooLarge() {
    requests.increment();
    return count(tooLarge());
  }

  /** The answer for a request not received within {@link #requestTimeout()}: 408. */
  public WebhookResponse bodyTimedOut() {
    requests.increment();
    return count(
        Answers.error(
            408,
            "request_timeout",
            "the request did not arrive within " + requestTimeout.toMillis() + " ms"));
  }

  /**
   * The answer for a request whose events the sink did not store within {@link #requestTimeout()}
   * of its arrival, for an adapter that cannot wait longer: 503 with {@code Retry-After}. The
   * events may still become durable; the retry is then a duplicate, which the load drops.
   */
  public WebhookResponse storeTimedOut() {
    return count(
        Answers.unavailable(
            "unavailable",
            "the events were not stored within " + requestTimeout.toMillis() + " ms",
            retryAfter));
  }

  /**
   * The answer for a request that an adapter cannot finish because it is shutting down: 503 with
   * {@code Retry-After}, which Segment and the client libraries retry.
   */
  public WebhookResponse shuttingDown() {
    return count(closing());
  }

  private WebhookResponse closing() {
    return Answers.unavailable("shutting_down", "the receiver is shutting down", retryAfter);
  }

  /**
   * Answers one request. Reads its body (see {@link WebhookRequest#body()}) and parses it on the
   * calling thread, hands the events to the sink and returns at once; the stage completes when the
   * sink's future does. Never completes exceptionally: every failure is an answer.
   */
  public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
    Objects.requireNonNull(request, "request == null");
    requests.increment();
    try {
      return process(request);
    } catch (Answer a) {
      return CompletableFuture.completedFuture(count(a.response));
    } catch (RuntimeException e) {
      LOG.error("Unexpected failure answering {}", request, e);
      return CompletableFuture.completedFuture(
          count(Answers.error(500, "internal_error", "the request could not be handled")));
    }
  }

  /**
   * Starts refusing requests with 503 and {@code Retry-After} ({@code GET /health} included) and
   * returns a future that completes once every request accepted before has been answered, i.e. once
   * the sink has completed each of their futures. Close the sink (the spool) after that. Calling it
   * again returns the same state.
   */
  public CompletableFuture<Void> shutdown() {
    shuttingDown = true;
    if (inFlight.get() == 0) {
      drained.complete(null);
    }
    return drained.copy();
  }

  /** Counters since the handler was built. */
  public WebhookStats stats() {
    return new WebhookStats(
        requests.sum(),
        acceptedEvents.sum(),
        rejectedEvents.sum(),
        clientErrors.sum(),
        unavailable.sum());
  }

  @Override
  public String toString() {
    return "WebhookHandler{sink="
        + sink
        + ", signatures="
        + (verifier != null)
        + ", writeKeys="
        + (writeKeys != null)
        + ", unauthenticated="
        + unauthenticated
        + "}";
  }

  private CompletionStage<WebhookResponse> process(WebhookRequest request) throws Answer {
    Route route = Route.of(request.path());
    if (route == null) {
      throw new Answer(Answers.error(404, "not_found", "no route " + safe(request.path(), 100)));
    }
    String method = request.method().toUpperCase(Locale.ROOT);
    if (!route.allows(method)) {
      throw new Answer(
          Answers.error(
              405,
              "method_not_allowed",
              safe(method, 20) + " is not allowed here; allowed: " + route.allow(),
              Map.of("Allow", route.allow())));
    }
    if (route == Route.HEALTH) {
      return CompletableFuture.completedFuture(health());
    }
    if (shuttingDown) {
      throw new Answer(closing());
    }
    checkContentType(route, request.header("Content-Type"));
    boolean gzip = checkEncoding(request.header("Content-Encoding"));
    checkLength(request.header("Content-Length"));

    String source = null;
    String authorization = request.header("Authorization");
    if (route.trackingApi() && writeKeys != null && basic(authorization)) {
      // Basic credentials decide before the body is read; other schemes need the body's writeKey.
      source = authenticate(() -> writeKeys.authenticate(authorization, null), true);
    }
    byte[] body = read(request, gzip);
    if (route == Route.WEBHOOK) {
      source = authenticateWebhook(body, request.header(SignatureVerifier.HEADER), authorization);
    }
    ParseResult parsed = parse(route, body);
    if (source == null) {
      source = authenticateTrackingApi(authorization, parsed.writeKey());
    }
    rejectedEvents.add(parsed.rejected().size());
    if (parsed.allRejected()) {
      throw new Answer(
          Answers.json(
              400,
              Map.of(),
              g -> {
                g.writeStringField("error", "malformed");
                g.writeStringField("message", "every message of the batch was rejected");
                writeRejected(g, parsed);
              }));
    }
    return store(source, parsed);
  }

  private CompletionStage<WebhookResponse> store(String source, ParseResult parsed) throws Answer {
    List<Event> events = withoutWriteKeys(parsed.events());
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(accepted(parsed));
    }
    // Count first, then check: shutdown() either sees this request in flight or we see its flag.
    inFlight.incrementAndGet();
    if (shuttingDown) {
      release();
      throw new Answer(closing());
    }
    CompletableFuture<Void> stored;
    try {
      stored = Objects.requireNonNull(sink.accept(source, events), "the sink returned null");
    } catch (RuntimeException e) {
      release();
      return CompletableFuture.completedFuture(count(sinkFailure(e)));
    }
    return stored.handle(
        (ok, error) -> {
          try {
            if (error != null) {
              return count(sinkFailure(error));
            }
            acceptedEvents.add(events.size());
            return accepted(parsed);
          } finally {
            release();
          }
        });
  }

  private void release() {
    if (inFlight.decrementAndGet() == 0 && shuttingDown) {
      drained.complete(null);
    }
  }

  private void checkContentType(Route route, String contentType) throws Answer {
    String media =
        contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    // JSON is UTF-8 (RFC 8259): a charset parameter does not change how the body is read.
    if (media.equals("application/json")) {
      return;
    }
    // Browser and React Native clients of the Tracking API send their JSON as text/plain, which
    // spares them a CORS preflight; Segment's own webhooks always send application/json.
    if (route.trackingApi() && media.equals("text/plain")) {
      return;
    }
    throw new Answer(
        Answers.error(
            415,
            "unsupported_media_type",
            route.trackingApi()
                ? "Content-Type must be application/json or text/plain"
                : "Content-Type must be application/json"));
  }

  private static boolean checkEncoding(String encoding) throws Answer {
    if (encoding == null || encoding.isBlank()) {
      return false;
    }
    String e = encoding.strip().toLowerCase(Locale.ROOT);
    if (e.equals("identity")) {
      return false;
    }
    if (e.equals("gzip") || e.equals("x-gzip")) {
      return true;
    }
    throw new Answer(
        Answers.error(
            415, "unsupported_media_type", "Content-Encoding must be gzip or identity if present"));
  }

  private void checkLength(String contentLength) throws Answer {
    if (contentLength == null) {
      return;
    }
    long length;
    try {
      length = Long.parseLong(contentLength.strip());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0) {
      throw new Answer(Answers.error(400, "bad_request", "Content-Length is not a length"));
    }
    if (length > maxBodyBytes()) {
      throw new Answer(tooLarge());
    }
  }

  private byte[] read(WebhookRequest request, boolean gzip) throws Answer {
    try {
      return Bodies.read(request.body(), gzip, maxBodyBytes());
    } catch (Bodies.TooLarge e) {
      throw new Answer(tooLarge());
    } catch (ZipException e) {
      throw new Answer(malformed("BAD_COMPRESSION", "", "the gzip body is corrupt"));
    } catch (EOFException e) {
      throw new Answer(malformed("TRUNCATED", "", "the body ends early"));
    } catch (IOException e) {
      LOG.debug("Reading the body of {} failed", request, e);
      throw new Answer(malformed("TRUNCATED", "", "the body could not be read to its end"));
    }
  }

  private String authenticateWebhook(byte[] body, String signature, String authorization)
      throws Answer {
    if (verifier != null) {
      authenticate(
          () -> {
            verifier.verify(body, signature);
            return null;
          },
          false);
      return defaultSource;
    }
    if (writeKeys != null) {
      // No shared secret: Actions webhooks can send an Authorization header with a write key.
      return authenticate(() -> writeKeys.authenticate(authorization, null), false);
    }
    return defaultSource;
  }

  private String authenticateTrackingApi(String authorization, String bodyWriteKey) throws Answer {
    if (writeKeys != null) {
      return authenticate(() -> writeKeys.authenticate(authorization, bodyWriteKey), true);
    }
    if (unauthenticated) {
      return defaultSource;
    }
    throw new Answer(
        Answers.error(
            401,
            "unauthenticated",
            "no write keys are configured: the Tracking API routes accept no client",
            Map.of("WWW-Authenticate", "Basic realm=\"segment\"")));
  }

  private static String authenticate(Supplier<String> check, boolean basicChallenge) throws Answer {
    try {
      return check.get();
    } catch (AuthenticationException e) {
      throw new Answer(
          Answers.json(
              401,
              basicChallenge ? Map.of("WWW-Authenticate", "Basic realm=\"segment\"") : Map.of(),
              g -> {
                g.writeStringField("error", "unauthenticated");
                g.writeStringField("reason", e.reason().name());
                g.writeStringField("message", e.getMessage());
              }));
    }
  }

  private ParseResult parse(Route route, byte[] body) throws Answer {
    try {
      if (route == Route.WEBHOOK) {
        return parser.parseWebhook(body);
      }
      if (route == Route.BATCH) {
        return parser.parseBatch(body);
      }
      Event event = parser.parseCall(body, route.call());
      return new ParseResult(List.of(event), List.of(), event.writeKey());
    } catch (MalformedEventException e) {
      rejectedEvents.increment();
      if (e.reason() == MalformedEventException.Reason.TOO_LARGE) {
        throw new Answer(Answers.error(413, "too_large", e.getMessage()));
      }
      throw new Answer(malformed(e.reason().name(), e.pointer(), e.getMessage()));
    }
  }

  /** Write keys are credentials: they are checked, never stored. */
  private static List<Event> withoutWriteKeys(List<Event> events) {
    List<Event> out = null;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (e.writeKey() != null) {
        if (out == null) {
          out = new ArrayList<>(events);
        }
        out.set(i, e.toBuilder().writeKey(null).build());
      }
    }
    return out == null ? events : out;
  }

  private WebhookResponse accepted(ParseResult parsed) {
    return Answers.json(
        200,
        Map.of(),
        g -> {
          g.writeNumberField("accepted", parsed.events().size());
          writeRejected(g, parsed);
        });
  }

  private static void writeRejected(JsonGenerator g, ParseResult parsed) throws IOException {
    g.writeArrayFieldStart("rejected");
    for (MalformedEventException e : parsed.rejected()) {
      g.writeStartObject();
      g.writeNumberField("index", e.index());
      g.writeStringField("reason", e.reason().name());
      g.writeStringField("pointer", e.pointer());
      g.writeStringField("message", e.getMessage());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private WebhookResponse sinkFailure(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof SpoolException e) {
      Duration wait = e.retryAfter().orElse(retryAfter);
      switch (e.reason()) {
        case SPOOL_FULL:
          LOG.debug("Refused a request: {}", e.getMessage());
          return Answers.unavailable("spool_full", e.getMessage(), wait);
        case CLOSED:
          return Answers.unavailable("shutting_down", "the receiver is shutting down", wait);
        case RECORD_TOO_LARGE:
          return Answers.error(413, "too_large", "an event is larger than the spool's records");
        default:
          LOG.warn("Storing events failed: {}", e.getMessage(), e);
          return Answers.unavailable("unavailable", "the events could not be stored", wait);
      }
    }
    LOG.warn("Storing events failed", cause);
    return Answers.unavailable("unavailable", "the events could not be stored", retryAfter);
  }

  private WebhookResponse health() {
    Health h;
    try {
      h = Objects.requireNonNull(health.get(), "the health supplier returned null");
    } catch (RuntimeException e) {
      LOG.warn("The health supplier failed", e);
      return count(Answers.unavailable("unavailable", "the health check failed", retryAfter));
    }
    boolean up = h.live() && !shuttingDown;
    WebhookStats s = stats();
    return count(
        Answers.json(
            up ? 200 : 503,
            up ? Map.of() : Map.of("Retry-After", Long.toString(retryAfterSeconds())),
            g -> {
              g.writeStringField("status", shuttingDown ? "shutting_down" : up ? "ok" : "down");
              g.writeObjectFieldStart("spool");
              g.writeNumberField("backlogBytes", h.backlogBytes());
              g.writeNumberField("backlogRecords", h.backlogRecords());
              g.writeEndObject();
              g.writeStringField(
                  "lastLoadAt", h.lastLoadAt() == null ? null : h.lastLoadAt().toString());
              if (h.lastError() == null) {
                g.writeNullField("lastError");
              } else {
                g.writeObjectFieldStart("lastError");
                g.writeStringField("at", h.lastErrorAt().toString());
                g.writeStringField("message", h.lastError());
                g.writeEndObject();
              }
              g.writeObjectFieldStart("requests");
              g.writeNumberField("handled", s.requests());
              g.writeNumberField("acceptedEvents", s.acceptedEvents());
              g.writeNumberField("rejectedEvents", s.rejectedEvents());
              g.writeNumberField("clientErrors", s.clientErrors());
              g.writeNumberField("unavailable", s.unavailable());
              g.writeEndObject();
            }));
  }

  private long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  private WebhookResponse tooLarge() {
    return Answers.error(413, "too_large", "the body is larger than " + maxBodyBytes() + " bytes");
  }

  private static WebhookResponse malformed(String reason, String pointer, String message) {
    return Answers.json(
        400,
        Map.of(),
        g -> {
          g.writeStringField("error", "malformed");
          g.writeStringField("reason", reason);
          g.writeStringField("pointer", pointer);
          g.writeStringField("message", message);
        });
  }

  private WebhookResponse count(WebhookResponse response) {
    if (response.status() >= 500) {
      unavailable.increment();
    } else if (response.status() >= 400) {
      clientErrors.increment();
    }
    LOG.debug("Answered {}", response.status());
    return response;
  }

  private static boolean basic(String authorization) {
    return authorization != null
        && authorization.strip().regionMatches(true, 0, "Basic", 0, "Basic".length());
  }

  /** Request text in a message: cut, and control characters replaced, so it cannot forge logs. */
  private static String safe(String text, int max) {
    StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 3);
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
    }
    return text.length() > max ? b.append("...").toString() : b.toString();
  }

  /** An answer decided before the sink: control flow, no stack trace. */
  private static final class Answer extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient WebhookResponse response;

    Answer(WebhookResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  /**
   * Configures a {@link WebhookHandler}. A handler must be given a way to authenticate senders:
   * {@link #secrets} for Segment's webhooks, {@link #writeKeys} for the Tracking API routes, or
   * both; or {@link #allowUnauthenticated()} must be called to accept requests without proof.
   */
  public static final class Builder {
    private final EventSink sink;
    private SignatureVerifier verifier;
    private WriteKeys writeKeys;
    private boolean unauthenticated;
    private String defaultSource = "segment";
    private EventLimits limits = EventLimits.defaults();
    private Clock clock = Clock.systemUTC();
    private Supplier<Health> health = Health::up;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration retryAfter = Duration.ofSeconds(30);

    private Builder(EventSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink == null");
    }

    /**
     * The shared secrets of Segment's Webhooks destinations: {@code X-Signature} is then required
     * on {@code /} and {@code /webhook}, and their events go to {@link #defaultSource(String)}.
     */
    public Builder secrets(SignatureVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /** Shorthand for {@code secrets(SignatureVerifier.of(secrets))}. */
    public Builder secrets(String... secrets) {
      return secrets(SignatureVerifier.of(secrets));
    }

    /**
     * The write keys accepted on the Tracking API routes, each naming its source. Without {@link
     * #secrets}, the webhook routes accept them too, in an {@code Authorization} header.
     */
    public Builder writeKeys(WriteKeys writeKeys) {
      this.writeKeys = Objects.requireNonNull(writeKeys, "writeKeys == null");
      return this;
    }

    /**
     * The source (target schema) of events that come in without a write key: signed webhooks, and
     * unauthenticated requests if allowed; default {@code segment}.
     */
    public Builder defaultSource(String defaultSource) {
      Objects.requireNonNull(defaultSource, "defaultSource == null");
      if (defaultSource.isBlank()) {
        throw new IllegalArgumentException("defaultSource is blank");
      }
      this.defaultSource = defaultSource;
      return this;
    }

    /** The size, count and nesting limits; default {@link EventLimits#defaults()}. */
    public Builder limits(EventLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    /** The clock that gives {@code receivedAt}; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** What {@code GET /health} reports; default {@link Health#up()}. */
    public Builder health(Supplier<Health> health) {
      this.health = Objects.requireNonNull(health, "health == null");
      return this;
    }

    /** See {@link WebhookHandler#requestTimeout()}; default 30 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      Objects.requireNonNull(requestTimeout, "requestTimeout == null");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout <= 0: " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /**
     * The {@code Retry-After} of 503 answers when the sink's failure suggests none (and while
     * shutting down); default 30 s.
     */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter == null");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter < 0: " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * Accepts requests on routes for which no credential is configured, without any proof of who
     * sent them: anyone who can reach the port can then write into the warehouse. For tests, and
     * for receivers that only a trusted network can reach.
     */
    public Builder allowUnauthenticated() {
      this.unauthenticated = true;
      return this;
    }

    /**
     * Builds the handler.
     *
     * @throws IllegalStateException when neither secrets nor write keys are configured and {@link
     *     #allowUnauthenticated()} was not called
     */
    public WebhookHandler build() {
      if (verifier == null && writeKeys == null && !unauthenticated) {
        throw new IllegalStateException(
            "no shared secret and no write key configured: every request would be accepted"
                + " without authentication; call secrets(...) or writeKeys(...), or"
                + " allowUnauthenticated() to accept that explicitly");
      }
      return new WebhookHandler(this);
    }
  }
}
