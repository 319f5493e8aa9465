package io.segmentredshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.RetryPolicy;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookResponse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse is stopped for 30 seconds while events keep arriving: every acknowledged event is
 * loaded once it is back, the flusher waits between attempts instead of spinning, and {@code
 * /health} shows the failure while it lasts.
 */
class OutageTest {
  @RegisterExtension
  static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.dedicated();

  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final int INNER_ATTEMPTS = 3;
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

  @TempDir Path spoolDir;

  @Test
  void everyAcknowledgedEventLoadsAfterTheWarehouseComesBack() throws Exception {
    CountingDataSource warehouse = new CountingDataSource(PG.dataSource());
    Set<String> sent = ConcurrentHashMap.newKeySet();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (SegmentRedshift segment =
        SegmentRedshift.builder(warehouse)
            .dialect(Dialect.postgres())
            .name("outage")
            .schema("outage")
            .writeKey("key")
            .spool(spoolDir)
            .flushInterval(Duration.ofMillis(200))
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(INNER_ATTEMPTS)
                    .initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofMillis(200))
                    .build())
            .flushBackoff(INITIAL_BACKOFF, MAX_BACKOFF)
            .build()) {
      WebhookHandler handler = segment.webhookHandler();
      Thread sender =
          new Thread(
              () -> {
                long n = 0;
                while (sending.get()) {
                  String[] ids = new String[10];
                  for (int i = 0; i < ids.length; i++) {
                    ids[i] = "o-" + n++;
                    sent.add(ids[i]);
                  }
                  try {
                    WebhookResponse r = PipelineTest.batch(handler, "key", ids);
                    if (r.status() == 200) {
                      acked.addAll(List.of(ids));
                    }
                    Thread.sleep(20);
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                }
              },
              "sender");
      sender.start();

      PipelineTest.await(() -> segment.health().lastLoadAt() != null, "a first load");
      Thread.sleep(2000);
      long loadedBefore = segment.flusher().stats().loadedEvents();
      assertTrue(loadedBefore > 0);

      PG.server().stop();
      Instant down = Instant.now();
      long attemptsBefore = warehouse.connections.get();
      long failedBefore = segment.flusher().stats().failedAttempts();
      long ackedAtStop = acked.size();
      PipelineTest.await(() -> segment.health().lastErrorAt() != null, "the failure in health");
      // While it is down: events are still accepted, health names the failure.
      Thread.sleep(OUTAGE.toMillis() / 2);
      JsonNode health = PipelineTest.json(PipelineTest.get(handler, "/health"));
      assertEquals("ok", health.get("status").asText(), health.toString());
      assertTrue(
          Instant.parse(health.get("lastError").get("at").asText()).isAfter(down),
          health.toString());
      assertTrue(
          health.get("lastError").get("message").asText().contains("connection"),
          health.toString());
      assertTrue(health.get("spool").get("backlogRecords").asLong() > 0, health.toString());
      Thread.sleep(OUTAGE.toMillis() - Duration.between(down, Instant.now()).toMillis());
      long attempts = warehouse.connections.get() - attemptsBefore;
      long failed = segment.flusher().stats().failedAttempts() - failedBefore;
      long ackedDuringOutage = acked.size() - ackedAtStop;
      assertTrue(ackedDuringOutage > 1000, "events kept arriving: " + ackedDuringOutage);

      PG.server().restart();
      Instant up = Instant.now();
      Thread.sleep(1000);
      sending.set(false);
      sender.join();
      PipelineTest.await(
          () -> segment.health().backlogRecords() == 0, "the backlog loaded after the outage");
      Duration recovery = Duration.between(up, Instant.now());

      // No busy loop: each outer attempt follows a wait of at least half its backoff step, and
      // makes at most INNER_ATTEMPTS connection attempts (a few more may come from the load that
      // was under way when the server stopped).
      long maxOuter = maxOuterAttempts(OUTAGE);
      assertTrue(failed >= 3 && failed <= maxOuter, "outer attempts: " + failed + " > " + maxOuter);
      assertTrue(
          attempts <= maxOuter * INNER_ATTEMPTS + 5,
          "connection attempts: " + attempts + " > " + (maxOuter * INNER_ATTEMPTS + 5));
      System.out.printf(
          "outage: %d s down, %d events sent, %d acked (%d during the outage), %d outer attempts,"
              + " %d connection attempts, backlog loaded %d ms after the restart%n",
          OUTAGE.toSeconds(),
          sent.size(),
          acked.size(),
          ackedDuringOutage,
          failed,
          attempts,
          recovery.toMillis());
    }

    Set<String> stored = ids();
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(stored);
    assertEquals(Set.of(), missing, "acknowledged but not loaded");
    Set<String> unexpected = new HashSet<>(stored);
    unexpected.removeAll(sent);
    assertEquals(Set.of(), unexpected, "loaded but never sent");
  }

  /**
   * The most outer attempts that fit in {@code window}: the first needs no wait, and the wait
   * before attempt {@code n + 1} is at least half of {@code min(MAX_BACKOFF, INITIAL_BACKOFF *
   * 2^(n-1))}.
   */
  private static long maxOuterAttempts(Duration window) {
    long left = window.toMillis();
    long n = 1;
    for (int i = 1; ; i++) {
      long shortest =
          Math.min(MAX_BACKOFF.toMillis(), INITIAL_BACKOFF.toMillis() << Math.min(20, i - 1)) / 2;
      if (left < shortest) {
        return n;
      }
      left -= shortest;
      n++;
    }
  }

  private static Set<String> ids() throws SQLException {
    Set<String> out = new HashSet<>();
    long rows = 0;
    try (Connection c = PG.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM outage.tracks")) {
      while (rs.next()) {
        out.add(rs.getString(1));
        rows++;
      }
    }
    assertEquals(rows, out.size(), "each id once");
    return out;
  }

  /** Counts connection attempts: what a busy loop would multiply. */
  static final class CountingDataSource implements DataSource {
    final AtomicLong connections = new AtomicLong();
    private final DataSource delegate;

    CountingDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      connections.incrementAndGet();
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      connections.incrementAndGet();
      return delegate.getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }
}
