package io.segmentredshift.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Segment's official analytics-java client (3.5.4, which posts batches to {@code /v1/import}) sends
 * {@value #PER_TYPE} events of every call type with a write key to a container, into a real
 * pipeline with a spool; every one of them must land in its table of the write key's schema exactly
 * once, with its values. {@link #assertEveryCallLoadedOnce} is what every client must achieve; the
 * Netty module runs @segment/analytics-node through it too.
 *
 * <p>What each client sends, event {@code i} of each type (prefix {@code java} or {@code node}):
 * messageIds {@code <prefix>-<type>-<i>}, user {@code <prefix>-user-<i % 97>} with the traits
 * {@code plan: team} and {@code seats: (i % 97) % 7} (so a user's traits do not depend on which of
 * its identifies is the latest), track {@code Order Completed} with {@code total: i / 4} and {@code
 * currency: EUR}, page {@code Pricing}, screen {@code Home}, group {@code org-<i % 13>} with the
 * trait {@code name: Acme}, alias from {@code anon-<i>}.
 */
public abstract class RealClientContract extends ServerFixture {
  /** Events of each call type a client sends. */
  protected static final int PER_TYPE = 1000;

  private static final int USERS = 97;
  private static final int GROUPS = 13;

  /** The call types and their tables, in the order the clients send them. */
  private static final Map<String, String> TABLES = tables();

  private static Map<String, String> tables() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("identify", "identifies");
    t.put("track", "tracks");
    t.put("page", "pages");
    t.put("screen", "screens");
    t.put("group", "groups");
    t.put("alias", "aliases");
    return t;
  }

  @Test
  void analyticsJavaLoadsEveryEventOfEveryTypeExactlyOnce() throws Exception {
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Analytics analytics =
        Analytics.builder(WRITE_KEY)
            .endpoint(server.base().toString())
            .flushQueueSize(200)
            .flushInterval(1, TimeUnit.SECONDS)
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    delivered.incrementAndGet();
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, throwable);
                  }
                })
            .build();
    long started = System.nanoTime();
    for (int i = 0; i < PER_TYPE; i++) {
      String user = "java-user-" + (i % USERS);
      analytics.enqueue(
          IdentifyMessage.builder()
              .messageId("java-identify-" + i)
              .userId(user)
              .traits(Map.of("plan", "team", "seats", (i % USERS) % 7)));
      analytics.enqueue(
          TrackMessage.builder("Order Completed")
              .messageId("java-track-" + i)
              .userId(user)
              .properties(Map.of("total", i / 4.0, "currency", "EUR")));
      analytics.enqueue(PageMessage.builder("Pricing").messageId("java-page-" + i).userId(user));
      analytics.enqueue(ScreenMessage.builder("Home").messageId("java-screen-" + i).userId(user));
      analytics.enqueue(
          GroupMessage.builder("org-" + (i % GROUPS))
              .messageId("java-group-" + i)
              .userId(user)
              .traits(Map.of("name", "Acme")));
      analytics.enqueue(
          AliasMessage.builder("anon-" + i).messageId("java-alias-" + i).userId(user));
    }
    analytics.flush();
    analytics.shutdown();
    // shutdown() stops the client's threads; callbacks of the last batches may still be running.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.get() + failed.get() < 6 * PER_TYPE && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long sent = System.nanoTime();
    assertEquals(0, failed.get(), () -> "first failure: " + firstFailure.get());
    assertEquals(6 * PER_TYPE, delivered.get());
    warehouse();
    long loaded = System.nanoTime();
    Map<String, Long> counts = assertEveryCallLoadedOnce("java");
    System.out.printf(
        Locale.ROOT,
        "%s analytics-java 3.5.4: %d events acknowledged in %d ms, all loaded %d ms later;"
            + " rows %s%n",
        getClass().getSimpleName(),
        delivered.get(),
        TimeUnit.NANOSECONDS.toMillis(sent - started),
        TimeUnit.NANOSECONDS.toMillis(loaded - sent),
        counts);
  }

  /**
   * Every event a client sent with {@code prefix} (see the class comment) is in its table of {@link
   * #SHOP} exactly once, with its user and values, and nothing else is there: each call table holds
   * exactly the {@value #PER_TYPE} ids of its type, the track's event table the track ids, {@code
   * users} one row per user, {@code accounts} one per group. Returns the row counts.
   */
  protected Map<String, Long> assertEveryCallLoadedOnce(String prefix) {
    WarehouseRows w = warehouse();
    for (Map.Entry<String, String> type : TABLES.entrySet()) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < PER_TYPE; i++) {
        expected.add(prefix + "-" + type.getKey() + "-" + i);
      }
      expected.sort(null);
      assertEquals(expected, w.ids(SHOP, type.getValue()), type.getValue() + ": once per id");
    }
    assertEquals(w.ids(SHOP, "tracks"), w.ids(SHOP, "order_completed"));

    for (String table : TABLES.values()) {
      for (Map<String, Object> row : w.query("SELECT * FROM shop." + table)) {
        String id = (String) row.get("id");
        int i = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        assertEquals(prefix + "-user-" + (i % USERS), row.get("user_id"), id);
        switch (table) {
          case "tracks" -> assertEquals("Order Completed", row.get("event_text"), id);
          case "pages" -> assertEquals("Pricing", row.get("name"), id);
          case "screens" -> assertEquals("Home", row.get("name"), id);
          case "groups" -> assertEquals("org-" + (i % GROUPS), row.get("group_id"), id);
          case "aliases" -> assertEquals("anon-" + i, row.get("previous_id"), id);
          case "identifies" -> assertEquals("team", row.get("plan"), id);
          default -> throw new AssertionError(table);
        }
      }
    }
    for (Map<String, Object> row :
        w.query("SELECT id, total, currency FROM shop.order_completed")) {
      String id = (String) row.get("id");
      int i = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
      assertEquals(i / 4.0, ((Number) row.get("total")).doubleValue(), id);
      assertEquals("EUR", row.get("currency"), id);
    }

    List<Map<String, Object>> users = w.query("SELECT id, plan, seats FROM shop.users ORDER BY id");
    assertEquals(USERS, users.size(), "one users row per user id");
    for (Map<String, Object> user : users) {
      String id = (String) user.get("id");
      int u = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
      assertEquals(prefix + "-user-" + u, id);
      assertEquals("team", user.get("plan"), id);
      assertEquals((long) (u % 7), ((Number) user.get("seats")).longValue(), id);
    }
    List<Map<String, Object>> accounts = w.query("SELECT id, name FROM shop.accounts ORDER BY id");
    assertEquals(GROUPS, accounts.size(), "one accounts row per group id");
    for (Map<String, Object> account : accounts) {
      assertEquals("Acme", account.get("name"), String.valueOf(account.get("id")));
    }
    assertEquals(Map.of(), w.rowCounts(HOOKS), "nothing in the webhooks' schema");
    assertEquals(0L, w.count(SHOP, "_discards"), "no value was discarded");

    Map<String, Long> counts = new TreeMap<>(w.rowCounts(SHOP));
    counts.remove("_columns");
    counts.remove("_loads");
    return counts;
  }
}
