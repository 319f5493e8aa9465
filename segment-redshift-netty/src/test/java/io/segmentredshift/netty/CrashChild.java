package io.segmentredshift.netty;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The receiver that {@link CrashRecoveryTest} starts in a child JVM and kills: a SegmentRedshift
 * with a spool behind a Netty server, on the test's PostgreSQL database. It writes its HTTP port to
 * a file once it listens, and closes (draining the spool) when its standard input says {@code
 * close} or ends.
 *
 * <p>Arguments: PostgreSQL port, database, spool directory, port file.
 */
final class CrashChild {
  static final String SECRET = "crash-secret";
  static final String KEY_A = "crash-key-a";
  static final String KEY_B = "crash-key-b";
  static final String SCHEMA = "crash_hooks";
  static final String SCHEMA_A = "crash_a";
  static final String SCHEMA_B = "crash_b";

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setServerNames(new String[] {"127.0.0.1"});
    warehouse.setPortNumbers(new int[] {Integer.parseInt(args[0])});
    warehouse.setDatabaseName(args[1]);
    warehouse.setUser("postgres");
    Path portFile = Path.of(args[3]);
    SegmentRedshift segment =
        SegmentRedshift.builder(warehouse)
            .dialect(Dialect.postgres())
            .name("crash-child")
            .schema(SCHEMA)
            .secrets(SECRET)
            .writeKey(KEY_A, SCHEMA_A)
            .writeKey(KEY_B, SCHEMA_B)
            .spool(Path.of(args[2]))
            .batchSize(500)
            .flushInterval(Duration.ofMillis(100))
            .flushBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .closeTimeout(Duration.ofSeconds(60))
            .build();
    SegmentNettyServer server =
        SegmentNettyServer.builder(segment.webhookHandler())
            .bindAddress("127.0.0.1")
            .port(0)
            .workerThreads(2)
            .start();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()));
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.equals("close")) {
        // Wait: the parent either says close or kills this process.
      }
    }
    server.close();
    segment.close();
    System.out.println("closed, " + segment.health().backlogRecords() + " records spooled");
  }
}
