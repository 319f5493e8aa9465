package io.segmentredshift.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic generator of realistic Segment traffic: the same seed gives the same messages,
 * byte for byte.
 *
 * <p>All six call types in a realistic mix (mostly track and page), about 50 event names, nested
 * context like analytics.js and the mobile libraries send, 10 to 40 properties per track event with
 * nested objects and arrays, some type drift (a property that is usually a number arrives as a
 * string now and then), and about 1% duplicate messageIds (a retried delivery of an earlier
 * message). Messages are single-line JSON, the shape a Segment webhook delivers.
 *
 * <pre>{@code
 * SegmentTraffic traffic = SegmentTraffic.seeded(42);
 * for (int i = 0; i < 1000; i++) {
 *   byte[] json = traffic.next();
 * }
 * }</pre>
 */
public final class SegmentTraffic {
  /** The message types, in the order {@link #next(Kind)} accepts them. */
  public enum Kind {
    TRACK,
    PAGE,
    IDENTIFY,
    SCREEN,
    GROUP,
    ALIAS
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final Instant EPOCH = Instant.parse("2024-03-05T00:00:00Z");
  private static final String[] OBJECTS = {
    "Order",
    "Product",
    "Cart",
    "Checkout",
    "Coupon",
    "Video",
    "Article",
    "Account",
    "Invite",
    "Subscription",
    "Trial",
    "Report"
  };
  private static final String[] VERBS = {
    "Viewed",
    "Completed",
    "Added",
    "Removed",
    "Started",
    "Shared",
    "Updated",
    "Cancelled",
    "Applied",
    "Clicked",
    "Created",
    "Deleted"
  };
  private static final String[] EVENT_NAMES = eventNamesArray();
  private static final String[] PAGES = {"Home", "Pricing", "Docs", "Blog", "Checkout", "Signup"};
  private static final String[] LIBRARIES = {"analytics.js", "analytics-ios", "analytics-java"};
  private static final String[] PLANS = {"free", "team", "business", "enterprise"};

  private final SplittableRandom random;
  private final List<String> recentIds = new ArrayList<>();
  private long sequence;

  private SegmentTraffic(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A generator that always produces the same messages for the same seed. */
  public static SegmentTraffic seeded(long seed) {
    return new SegmentTraffic(seed);
  }

  /** The about 50 track event names the generator uses. */
  public static List<String> eventNames() {
    List<String> names = new ArrayList<>();
    for (int o = 0; o < OBJECTS.length; o++) {
      for (int v = 0; v < 4; v++) {
        names.add(OBJECTS[o] + " " + VERBS[(o + v * 3) % VERBS.length]);
      }
    }
    names.add("Signed Up");
    names.add("Logged In");
    return names.stream().toList();
  }

  private static String[] eventNamesArray() {
    return eventNames().toArray(String[]::new);
  }

  /** The next message in the realistic mix. */
  public byte[] next() {
    int roll = random.nextInt(100);
    Kind kind =
        roll < 62
            ? Kind.TRACK
            : roll < 80
                ? Kind.PAGE
                : roll < 90
                    ? Kind.IDENTIFY
                    : roll < 95 ? Kind.SCREEN : roll < 99 ? Kind.GROUP : Kind.ALIAS;
    return next(kind);
  }

  /** The next message of the given kind. */
  public byte[] next(Kind kind) {
    sequence++;
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", kind.name().toLowerCase(Locale.ROOT));
      g.writeStringField("messageId", messageId());
      long user = random.nextInt(20_000);
      boolean known = kind == Kind.IDENTIFY || kind == Kind.ALIAS || random.nextInt(3) > 0;
      g.writeStringField("anonymousId", "anon-" + Long.toHexString(user * 2654435761L));
      if (known) {
        g.writeStringField("userId", "user-" + user);
      }
      Instant at = EPOCH.plus(sequence * 37, ChronoUnit.MILLIS);
      switch (kind) {
        case TRACK -> track(g);
        case PAGE -> page(g);
        case SCREEN -> screen(g);
        case IDENTIFY -> identify(g, user);
        case GROUP -> group(g);
        case ALIAS ->
            g.writeStringField("previousId", "anon-" + Long.toHexString(user * 2654435761L));
      }
      context(g, kind);
      g.writeStringField("originalTimestamp", at.toString());
      g.writeStringField("sentAt", at.plusMillis(120).toString());
      g.writeStringField("receivedAt", at.plusMillis(900).toString());
      g.writeStringField("timestamp", at.plusMillis(780).toString());
      g.writeNumberField("version", 2);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private String messageId() {
    // About 1% are a retried delivery of a recent message: the same messageId again.
    if (!recentIds.isEmpty() && random.nextInt(100) == 0) {
      return recentIds.get(random.nextInt(recentIds.size()));
    }
    String id = "msg-" + Long.toHexString(random.nextLong()) + "-" + sequence;
    if (recentIds.size() < 1000) {
      recentIds.add(id);
    } else {
      recentIds.set(random.nextInt(recentIds.size()), id);
    }
    return id;
  }

  private void track(JsonGenerator g) throws IOException {
    int eventIndex = random.nextInt(EVENT_NAMES.length);
    g.writeStringField("event", EVENT_NAMES[eventIndex]);
    g.writeObjectFieldStart("properties");
    int count = 8 + random.nextInt(31); // plus currency and revenue: 10 to 40
    for (int i = 0; i < count; i++) {
      // Property names depend on the event, so every event table gets its own stable set.
      int p = (eventIndex * 7 + i) % 60;
      String name = "prop" + p;
      switch (p % 6) {
        case 0 -> {
          // Type drift: usually a number, now and then a string.
          if (random.nextInt(50) == 0) {
            g.writeStringField(name, "n/a");
          } else {
            g.writeNumberField(name, random.nextInt(10_000));
          }
        }
        case 1 -> g.writeNumberField(name, Math.round(random.nextDouble() * 100_000) / 100.0);
        case 2 -> g.writeBooleanField(name, random.nextBoolean());
        case 3 -> g.writeStringField(name, "value-" + Integer.toHexString(random.nextInt(1 << 20)));
        case 4 -> {
          g.writeObjectFieldStart(name);
          g.writeStringField("sku", "sku-" + random.nextInt(1000));
          g.writeNumberField("quantity", 1 + random.nextInt(5));
          g.writeEndObject();
        }
        default -> {
          g.writeArrayFieldStart(name);
          int items = random.nextInt(4);
          for (int k = 0; k < items; k++) {
            g.writeString("tag-" + random.nextInt(100));
          }
          g.writeEndArray();
        }
      }
    }
    g.writeStringField("currency", "USD");
    g.writeNumberField("revenue", Math.round(random.nextDouble() * 50_000) / 100.0);
    g.writeEndObject();
  }

  private void page(JsonGenerator g) throws IOException {
    String page = PAGES[random.nextInt(PAGES.length)];
    g.writeStringField("name", page);
    g.writeStringField("category", random.nextBoolean() ? "Marketing" : "Product");
    g.writeObjectFieldStart("properties");
    String path = "/" + page.toLowerCase(Locale.ROOT);
    g.writeStringField("path", path);
    g.writeStringField("url", "https://example.com" + path);
    g.writeStringField("title", page + " | Example");
    g.writeStringField("referrer", "https://www.google.com/");
    g.writeStringField("search", random.nextInt(10) == 0 ? "?utm_source=ad" : "");
    g.writeEndObject();
  }

  private void screen(JsonGenerator g) throws IOException {
    g.writeStringField("name", random.nextBoolean() ? "Settings" : "Feed");
    g.writeObjectFieldStart("properties");
    g.writeStringField("variation", random.nextBoolean() ? "blue" : "green");
    g.writeNumberField("loadMillis", random.nextInt(3000));
    g.writeEndObject();
  }

  private void identify(JsonGenerator g, long user) throws IOException {
    g.writeObjectFieldStart("traits");
    g.writeStringField("email", "user" + user + "@example.com");
    g.writeStringField("name", "User " + user);
    g.writeStringField("plan", PLANS[random.nextInt(PLANS.length)]);
    g.writeNumberField("logins", random.nextInt(500));
    if (random.nextBoolean()) {
      g.writeStringField(
          "createdAt", EPOCH.minus(random.nextInt(1000), ChronoUnit.DAYS).toString());
    }
    g.writeObjectFieldStart("address");
    g.writeStringField("city", random.nextBoolean() ? "Berlin" : "San Francisco");
    g.writeStringField("country", random.nextBoolean() ? "DE" : "US");
    g.writeEndObject();
    g.writeEndObject();
  }

  private void group(JsonGenerator g) throws IOException {
    int account = random.nextInt(500);
    g.writeStringField("groupId", "account-" + account);
    g.writeObjectFieldStart("traits");
    g.writeStringField("name", "Company " + account);
    g.writeStringField("industry", random.nextBoolean() ? "Technology" : "Retail");
    g.writeNumberField("employees", 1 + random.nextInt(5000));
    g.writeStringField("plan", PLANS[random.nextInt(PLANS.length)]);
    g.writeEndObject();
  }

  private void context(JsonGenerator g, Kind kind) throws IOException {
    g.writeObjectFieldStart("context");
    String library =
        kind == Kind.SCREEN ? LIBRARIES[1] : LIBRARIES[random.nextInt(LIBRARIES.length)];
    g.writeObjectFieldStart("library");
    g.writeStringField("name", library);
    g.writeStringField("version", "2." + random.nextInt(30) + ".0");
    g.writeEndObject();
    if (kind == Kind.SCREEN) {
      g.writeObjectFieldStart("device");
      g.writeStringField("manufacturer", "Apple");
      g.writeStringField("model", "iPhone15," + (1 + random.nextInt(3)));
      g.writeEndObject();
      g.writeObjectFieldStart("os");
      g.writeStringField("name", "iOS");
      g.writeStringField("version", "17." + random.nextInt(5));
      g.writeEndObject();
    } else {
      g.writeStringField(
          "ip",
          (10 + random.nextInt(200)) + ".0." + random.nextInt(255) + "." + random.nextInt(255));
      g.writeStringField("locale", random.nextBoolean() ? "en-US" : "de-DE");
      g.writeStringField(
          "userAgent",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17."
              + random.nextInt(5));
      g.writeObjectFieldStart("page");
      g.writeStringField("path", "/checkout");
      g.writeStringField("url", "https://example.com/checkout");
      g.writeEndObject();
      if (random.nextInt(5) == 0) {
        g.writeObjectFieldStart("campaign");
        g.writeStringField("name", "spring-sale");
        g.writeStringField("source", "newsletter");
        g.writeEndObject();
      }
    }
    g.writeStringField("timezone", "Europe/Berlin");
    g.writeEndObject();
  }
}
