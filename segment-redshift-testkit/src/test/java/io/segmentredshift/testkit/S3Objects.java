package io.segmentredshift.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;

/** Test helpers: put files and manifests into the extension's bucket, read rows back. */
final class S3Objects {
  private final EmbeddedRedshiftExtension redshift;

  S3Objects(EmbeddedRedshiftExtension redshift) {
    this.redshift = redshift;
  }

  /** Stores bytes under a key and returns the object's s3:// URL. */
  String put(String key, byte[] bytes) {
    redshift
        .s3()
        .putObject(b -> b.bucket(redshift.bucket()).key(key), RequestBody.fromBytes(bytes));
    return "s3://" + redshift.bucket() + "/" + key;
  }

  String put(String key, String text) {
    return put(key, text.getBytes(StandardCharsets.UTF_8));
  }

  String putGzip(String key, String text) {
    return put(key, gzip(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes a manifest whose entries are mandatory; returns its URL. */
  String manifest(String key, String... urls) {
    StringBuilder json = new StringBuilder("{\"entries\": [");
    for (int i = 0; i < urls.length; i++) {
      json.append(i == 0 ? "" : ", ")
          .append("{\"url\": \"")
          .append(urls[i])
          .append("\", \"mandatory\": true}");
    }
    return put(key, json.append("]}").toString());
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Every row of a query, each column as text ("null" for NULL), joined by '|'. */
  static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  static String copy(String table, String source, String options) {
    return "COPY "
        + table
        + " FROM '"
        + source
        + "' IAM_ROLE '"
        + EmbeddedRedshiftExtension.IAM_ROLE
        + "' "
        + options;
  }
}
