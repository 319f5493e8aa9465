package io.segmentredshift.load.copy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.CsvWriter;
import io.segmentredshift.load.LoadError;
import io.segmentredshift.load.LoadException;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.Staged;
import io.segmentredshift.load.StagingTable;
import io.segmentredshift.schema.LoadRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Stages rows on Amazon Redshift the way AWS recommends for bulk loads: gzip CSV files on S3, a
 * manifest listing them with {@code "mandatory": true}, and one {@code COPY ... FROM
 * 's3://.../manifest' ... MANIFEST CSV GZIP TIMEFORMAT 'auto' NULL AS '...' COMPUPDATE OFF
 * STATUPDATE OFF} per table.
 *
 * <pre>{@code
 * Loader loader = S3CopyLoader.builder(s3Client, "my-bucket")
 *     .prefix("segment/staging/")
 *     .iamRole("arn:aws:iam::123456789012:role/redshift-copy")
 *     .build();
 * }</pre>
 *
 * <h2>Files</h2>
 *
 * Gzip files are not split by Redshift, so the loader splits: the number of files is a multiple of
 * the cluster's slices ({@code SELECT COUNT(*) FROM stv_slices}, read once) times {@code
 * filesPerSlice}, each file at most {@code maxFileBytes} compressed (AWS: 1 MB to 1 GB after
 * compression). A small table is not cut into files smaller than {@code minFileBytes}: it gets
 * fewer files, down to one. Sizes are planned from an estimate of the CSV size before writing and
 * an assumed 4:1 gzip ratio. Files above {@code uploadChunkBytes} go up as multipart uploads while
 * they are written; nothing touches the local disk.
 *
 * <p>Object keys: {@code <prefix><batch id>/<table>-<random>/part-00000.csv.gz} and {@code
 * .../manifest}. They are deleted when the batch's attempt is over (committed or not) unless {@link
 * Builder#keepObjects(boolean)} says to keep them.
 *
 * <h2>Values and errors</h2>
 *
 * CSV comes from {@link CsvWriter}; NULL is a random marker per COPY, named in {@code NULL AS}, so
 * no real value can be mistaken for NULL, and an empty string stays an empty string. When the COPY
 * fails, the loader reads {@code stl_load_errors} for {@code pg_last_copy_id()} and maps each file
 * and line back to the row it wrote there; those rows come back as {@link
 * LoadException#rowsRejected}, and the load path quarantines them and stages the rest again.
 *
 * <p>The S3 client is injected (AWS SDK v2), so any S3-compatible endpoint works. Thread-safe.
 */
public final class S3CopyLoader implements Loader {
  private static final Logger LOG = LoggerFactory.getLogger(S3CopyLoader.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int GZIP_RATIO = 4;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String iamRole;
  private final String credentials;
  private final int filesPerSlice;
  private final long minFileBytes;
  private final long maxFileBytes;
  private final int uploadChunkBytes;
  private final boolean keepObjects;
  private final AtomicInteger slices = new AtomicInteger();

  private S3CopyLoader(Builder b) {
    this.s3 = b.s3;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.iamRole = b.iamRole;
    this.credentials = b.credentials;
    this.filesPerSlice = b.filesPerSlice;
    this.minFileBytes = b.minFileBytes;
    this.maxFileBytes = b.maxFileBytes;
    this.uploadChunkBytes = b.uploadChunkBytes;
    this.keepObjects = b.keepObjects;
  }

  /** A builder for a loader that writes to {@code bucket} with {@code s3}. */
  public static Builder builder(S3Client s3, String bucket) {
    return new Builder(s3, bucket);
  }

  @Override
  public String name() {
    return "s3-copy";
  }

  @Override
  public Staged stage(StagingTable table) throws SQLException {
    List<LoadRow> rows = table.rows();
    if (rows.isEmpty()) {
      return Staged.of(name(), 0);
    }
    Connection c = table.connection();
    Dialect dialect = table.dialect();
    String folder =
        prefix
            + table.batchId()
            + "/"
            + cut(table.target().name(), 40)
            + "-"
            + HexFormat.of().formatHex(random(4))
            + "/";
    String marker = "~sr-null-" + HexFormat.of().formatHex(random(16)) + "~";
    List<String> keys = new ArrayList<>();
    boolean done = false;
    try {
      List<Part> parts = writeParts(rows, folder, marker, fileCount(c, dialect, rows), keys);
      String manifestKey = folder + "manifest";
      put(manifestKey, manifest(parts));
      keys.add(manifestKey);
      String copy =
          dialect.copyFromS3(
              table.name(),
              table.columnNames(),
              "s3://" + bucket + "/" + manifestKey,
              iamRole,
              credentials,
              marker);
      long queryId;
      try (Statement st = c.createStatement()) {
        st.execute(copy);
      } catch (SQLException e) {
        LoadException rejected = diagnose(c, dialect, table, parts, e);
        if (rejected != null) {
          throw rejected;
        }
        throw e;
      }
      queryId = lastCopyId(c, dialect);
      LOG.debug(
          "COPY {} rows into the staging table of {} from {} file(s) under s3://{}/{} (query {})",
          rows.size(),
          table.target().name(),
          parts.size(),
          bucket,
          folder,
          queryId);
      done = true;
      return new Staged(name(), rows.size(), List.of(queryId), () -> delete(keys));
    } catch (SdkException | UncheckedIOException e) {
      throw new LoadException(
          LoadException.Reason.STORAGE,
          !(e instanceof SdkException s) || s.retryable(),
          "writing the files of "
              + table.target().name()
              + " to s3://"
              + bucket
              + "/"
              + folder
              + " failed",
          e);
    } finally {
      if (!done) {
        delete(keys);
      }
    }
  }

  /** One file: its URL and, per row, the line the row's record starts on. */
  private record Part(String url, int firstRow, int[] lines) {
    /** The index (in the table's rows) of the row whose record holds {@code line}, or -1. */
    int rowAt(long line) {
      int lo = 0;
      int hi = lines.length - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (lines[mid] <= line) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found < 0 ? -1 : firstRow + found;
    }
  }

  private List<Part> writeParts(
      List<LoadRow> rows, String folder, String marker, int files, List<String> keys) {
    long[] sizes = new long[rows.size()];
    long total = 0;
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = estimate(rows.get(i), marker.length());
      total += sizes[i];
    }
    List<Part> parts = new ArrayList<>(files);
    int from = 0;
    long written = 0;
    for (int p = 0; p < files && from < rows.size(); p++) {
      long until = p == files - 1 ? Long.MAX_VALUE : total * (p + 1) / files;
      int to = from;
      do {
        written += sizes[to++];
      } while (to < rows.size() && written < until);
      String key = folder + String.format(Locale.ROOT, "part-%05d.csv.gz", p);
      keys.add(key);
      parts.add(writePart(rows, from, to, key, marker));
      from = to;
    }
    return parts;
  }

  private Part writePart(List<LoadRow> rows, int from, int to, String key, String marker) {
    S3PartOutputStream object = new S3PartOutputStream(s3, bucket, key, uploadChunkBytes);
    int[] lines = new int[to - from];
    try {
      try (OutputStream gzip = new FastGzip(object)) {
        CsvWriter csv = new CsvWriter(gzip, marker);
        for (int r = from; r < to; r++) {
          lines[r - from] = Math.toIntExact(csv.lines() + 1);
          csv.write(rows.get(r));
        }
        csv.flush();
      }
    } catch (IOException e) {
      object.abort(null);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      object.abort(e);
      throw e;
    }
    return new Part("s3://" + bucket + "/" + key, from, lines);
  }

  /** An estimate of a row's CSV bytes, for planning file sizes. */
  private static long estimate(LoadRow row, int nullBytes) {
    long n = row.size();
    for (int i = 0; i < row.size(); i++) {
      Object v = row.value(i);
      n +=
          v == null
              ? nullBytes
              : v instanceof String s ? s.length() + 2 : v instanceof Instant ? 27 : 10;
    }
    return n;
  }

  /**
   * How many files for {@code rows}: a multiple of the slices times {@code filesPerSlice}, each at
   * most {@code maxFileBytes} compressed; fewer (down to one) when that would make files smaller
   * than {@code minFileBytes}.
   */
  private int fileCount(Connection c, Dialect dialect, List<LoadRow> rows) throws SQLException {
    long csv = 0;
    for (LoadRow row : rows) {
      csv += estimate(row, 0);
    }
    return fileCount(
        csv / GZIP_RATIO,
        slices(c, dialect) * filesPerSlice,
        minFileBytes,
        maxFileBytes,
        rows.size());
  }

  /**
   * The file count for {@code compressed} bytes: with enough data for {@code unit} files of at
   * least {@code minFile} bytes, the smallest multiple of {@code unit} that keeps every file within
   * {@code maxFile}; else as many files of about {@code minFile} as there is data for, at least
   * one; never more than {@code rows}.
   */
  static int fileCount(long compressed, int unit, long minFile, long maxFile, int rows) {
    long files;
    if (compressed >= unit * minFile) {
      long perRound = unit * maxFile;
      files = unit * ((compressed + perRound - 1) / perRound);
    } else {
      files = compressed / minFile;
    }
    return (int) Math.max(1, Math.min(files, rows));
  }

  private int slices(Connection c, Dialect dialect) throws SQLException {
    int known = slices.get();
    if (known > 0) {
      return known;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(dialect.sliceCount())) {
      int n = rs.next() ? Math.max(1, rs.getInt(1)) : 1;
      slices.set(n);
      return n;
    }
  }

  private static long lastCopyId(Connection c, Dialect dialect) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(dialect.lastCopyId())) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * The rows a failed COPY refused, as a {@link LoadException#rowsRejected}, or null when {@code
   * stl_load_errors} names no row this loader wrote (a missing file, a permission problem, a broken
   * connection): then the COPY's own failure is what to report.
   */
  private LoadException diagnose(
      Connection c, Dialect dialect, StagingTable table, List<Part> parts, SQLException failure) {
    List<LoadError> errors = new ArrayList<>();
    try {
      if (c.isClosed()) {
        return null;
      }
      // The failed COPY aborted the staging transaction; the attempt is over anyway.
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      long queryId = lastCopyId(c, dialect);
      try (PreparedStatement ps = c.prepareStatement(dialect.loadErrors())) {
        ps.setLong(1, queryId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String file = rs.getString(1);
            long line = rs.getLong(2);
            Part part = partOf(parts, file);
            int row = part == null ? -1 : part.rowAt(line);
            if (row < 0) {
              LOG.debug("stl_load_errors names {}:{}, not a row of this COPY", file, line);
              return null;
            }
            errors.add(
                new LoadError(
                    table.target().name(),
                    part.url(),
                    line,
                    blankToNull(rs.getString(3)),
                    rs.getInt(4),
                    rs.getString(5),
                    row));
          }
        }
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
      return null;
    }
    if (errors.isEmpty()) {
      return null;
    }
    LoadError first = errors.get(0);
    for (LoadError e : errors) {
      LOG.debug("COPY refused {}: {}", e, e.message());
    }
    return LoadException.rowsRejected(
        "COPY into the staging table of "
            + table.target().name()
            + " refused "
            + errors.size()
            + " row(s), the first at "
            + first.file()
            + " line "
            + first.line()
            + " column "
            + first.column()
            + " (error "
            + first.code()
            + ")",
        errors,
        failure);
  }

  private static Part partOf(List<Part> parts, String file) {
    if (file == null) {
      return null;
    }
    for (Part p : parts) {
      // stl_load_errors.filename is char(256): a longer URL comes back cut.
      if (p.url().equals(file) || (file.length() >= 255 && p.url().startsWith(file))) {
        return p;
      }
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private byte[] manifest(List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + parts.size() * 128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("entries");
      for (Part p : parts) {
        g.writeStartObject();
        g.writeStringField("url", p.url());
        g.writeBooleanField("mandatory", true);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void put(String key, byte[] bytes) {
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(bytes));
  }

  /** Deletes the objects unless they are to be kept; failures are logged, never thrown. */
  private void delete(List<String> keys) {
    if (keepObjects || keys.isEmpty()) {
      return;
    }
    try {
      for (int i = 0; i < keys.size(); i += 1000) {
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (String k : keys.subList(i, Math.min(keys.size(), i + 1000))) {
          ids.add(ObjectIdentifier.builder().key(k).build());
        }
        s3.deleteObjects(
            DeleteObjectsRequest.builder()
                .bucket(bucket)
                .delete(Delete.builder().objects(ids).quiet(true).build())
                .build());
      }
    } catch (SdkException e) {
      LOG.warn(
          "deleting {} staged object(s) in s3://{} failed; they can be removed",
          keys.size(),
          bucket,
          e);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  @Override
  public String toString() {
    return name() + "(s3://" + bucket + "/" + prefix + ")";
  }

  /** Gzip at the fastest level: loading is CPU-bound long before the network is. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /** Builds an {@link S3CopyLoader}. */
  public static final class Builder {
    private final S3Client s3;
    private final String bucket;
    private String prefix = "segment-redshift/";
    private String iamRole;
    private String credentials;
    private int filesPerSlice = 1;
    private long minFileBytes = 1L << 20;
    private long maxFileBytes = 1L << 30;
    private int uploadChunkBytes = 16 << 20;
    private boolean keepObjects;

    private Builder(S3Client s3, String bucket) {
      this.s3 = Objects.requireNonNull(s3, "s3 == null");
      this.bucket = Objects.requireNonNull(bucket, "bucket == null");
      if (bucket.isEmpty() || bucket.contains("/")) {
        throw new IllegalArgumentException("not a bucket name: " + bucket);
      }
    }

    /** The key prefix of the staged objects (default {@code segment-redshift/}). */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix == null");
      if (prefix.startsWith("/")) {
        throw new IllegalArgumentException("prefix starts with /: " + prefix);
      }
      this.prefix = prefix;
      return this;
    }

    /** Authorizes the COPY with an IAM role ({@code IAM_ROLE 'arn:aws:iam::...'}). */
    public Builder iamRole(String iamRoleArn) {
      this.iamRole = Objects.requireNonNull(iamRoleArn, "iamRoleArn == null");
      this.credentials = null;
      return this;
    }

    /**
     * Authorizes the COPY with a {@code CREDENTIALS} string ({@code
     * aws_access_key_id=...;aws_secret_access_key=...[;token=...]} or {@code
     * aws_iam_role=arn:...}). Prefer {@link #iamRole}.
     */
    public Builder credentials(String credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials == null");
      this.iamRole = null;
      return this;
    }

    /** Files per slice of the cluster for a large table (default 1). */
    public Builder filesPerSlice(int filesPerSlice) {
      if (filesPerSlice <= 0) {
        throw new IllegalArgumentException("filesPerSlice <= 0: " + filesPerSlice);
      }
      this.filesPerSlice = filesPerSlice;
      return this;
    }

    /** The smallest file worth its own COPY stream, compressed (default 1 MiB). */
    public Builder minFileBytes(long minFileBytes) {
      if (minFileBytes <= 0) {
        throw new IllegalArgumentException("minFileBytes <= 0: " + minFileBytes);
      }
      this.minFileBytes = minFileBytes;
      return this;
    }

    /** The largest file, compressed (default 1 GiB). */
    public Builder maxFileBytes(long maxFileBytes) {
      if (maxFileBytes <= 0) {
        throw new IllegalArgumentException("maxFileBytes <= 0: " + maxFileBytes);
      }
      this.maxFileBytes = maxFileBytes;
      return this;
    }

    /**
     * The size of the chunks a file is uploaded in (default 16 MiB): a larger file goes up as a
     * multipart upload; at least 5 MiB, as S3 requires of every part but the last.
     */
    public Builder uploadChunkBytes(int uploadChunkBytes) {
      if (uploadChunkBytes < 5 << 20) {
        throw new IllegalArgumentException("uploadChunkBytes < 5 MiB: " + uploadChunkBytes);
      }
      this.uploadChunkBytes = uploadChunkBytes;
      return this;
    }

    /** Keeps the staged objects instead of deleting them (default false), e.g. to inspect. */
    public Builder keepObjects(boolean keepObjects) {
      this.keepObjects = keepObjects;
      return this;
    }

    /** The loader. */
    public S3CopyLoader build() {
      if (iamRole == null && credentials == null) {
        throw new IllegalStateException("iamRole or credentials is required");
      }
      if (maxFileBytes < minFileBytes) {
        throw new IllegalArgumentException(
            "maxFileBytes < minFileBytes: " + maxFileBytes + " < " + minFileBytes);
      }
      return new S3CopyLoader(this);
    }
  }
}
