package io.segmentredshift.testkit;

import io.segmentredshift.testkit.FieldConverter.BadField;
import io.segmentredshift.testkit.FieldConverter.Column;
import io.segmentredshift.testkit.JsonReader.JsonRecord;
import io.segmentredshift.testkit.JsonReader.MalformedJson;
import io.segmentredshift.testkit.S3Files.S3File;
import io.segmentredshift.testkit.SqlLexer.Token;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one emulated {@code COPY ... FROM 's3://...'} on the caller's own session: resolves the
 * target table and its column types there (so TEMP tables are found), reads the files through S3,
 * converts every field by Redshift's rules and streams the clean rows into PostgreSQL with {@code
 * COPY ... FROM STDIN}, inside the caller's transaction.
 *
 * <p>On failure it behaves like Redshift: the COPY loads nothing, an enclosing transaction is left
 * aborted, and the bad records are kept in {@code stl_load_errors}, written over a separate
 * autocommit connection so that they survive the rollback.
 */
final class CopyExecution {
  private static final int FLUSH_BYTES = 64 * 1024;

  private final Connection connection;
  private final S3Client s3;
  private final DataSource sideConnections;
  private final int slices;
  private final int queryId;
  private final IntConsumer onLoadStart;

  /**
   * @param connection the caller's session (the raw driver connection)
   * @param queryId the id this COPY gets if its load starts
   * @param onLoadStart told the id once the load starts (pg_last_copy_id changes only then)
   */
  CopyExecution(
      Connection connection,
      S3Client s3,
      DataSource sideConnections,
      int slices,
      int queryId,
      IntConsumer onLoadStart) {
    this.connection = connection;
    this.s3 = s3;
    this.sideConnections = sideConnections;
    this.slices = slices;
    this.queryId = queryId;
    this.onLoadStart = onLoadStart;
  }

  /** Runs the COPY and returns the number of rows loaded. */
  long execute(List<Token> tokens) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    try {
      CopyCommand copy = CopyCommand.parse(tokens);
      Target target = Target.resolve(connection, copy);
      onLoadStart.accept(queryId);
      return new Load(copy, target).run();
    } catch (SQLException e) {
      if (!autoCommit) {
        abortTransaction();
      }
      throw e;
    }
  }

  /**
   * Leaves the caller's transaction in the failed state, as any error inside a Redshift transaction
   * does: later statements get "current transaction is aborted" until ROLLBACK.
   */
  private void abortTransaction() {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "DO $$BEGIN RAISE EXCEPTION 'COPY failed; the transaction is aborted"
              + " (Redshift emulation)'; END$$");
    } catch (SQLException expected) {
      // the failure is the point; the COPY's own error is what the caller sees
    }
  }

  /** The target table as the caller's session sees it. */
  record Target(int tableId, String qualifiedName, List<Column> columns, int session, int userId) {

    static Target resolve(Connection connection, CopyCommand copy) throws SQLException {
      List<String> names = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      List<Integer> typmods = new ArrayList<>();
      List<Boolean> notNulls = new ArrayList<>();
      List<String> typeNames = new ArrayList<>();
      int tableId = 0;
      String qualified = null;
      int session = 0;
      int userId = 0;
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT c.oid::bigint, c.oid::regclass::text, a.attname, a.atttypid::int,"
                  + " a.atttypmod, a.attnotnull, format_type(a.atttypid, a.atttypmod),"
                  + " pg_backend_pid(),"
                  + " (SELECT r.oid::bigint FROM pg_roles r WHERE r.rolname = current_user)"
                  + " FROM pg_class c LEFT JOIN pg_attribute a"
                  + " ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                  + " WHERE c.oid = to_regclass(?) ORDER BY a.attnum")) {
        query.setString(1, copy.table());
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            tableId = (int) rs.getLong(1);
            qualified = rs.getString(2);
            session = rs.getInt(8);
            userId = (int) rs.getLong(9);
            if (rs.getString(3) != null) {
              names.add(rs.getString(3));
              types.add(rs.getInt(4));
              typmods.add(rs.getInt(5));
              notNulls.add(rs.getBoolean(6));
              typeNames.add(rs.getString(7));
            }
          }
        }
      }
      if (qualified == null) {
        throw new SQLException("relation \"" + copy.table() + "\" does not exist", "42P01");
      }
      List<String> wanted = copy.columns().isEmpty() ? names : copy.columns();
      Set<String> seen = new HashSet<>();
      List<Column> columns = new ArrayList<>();
      for (String name : wanted) {
        int i = names.indexOf(name);
        if (i < 0) {
          throw new SQLException(
              "column \"" + name + "\" of relation \"" + copy.tableName() + "\" does not exist",
              "42703");
        }
        if (!seen.add(name)) {
          throw new SQLException("column \"" + name + "\" specified more than once", "42701");
        }
        Column column = Column.of(name, types.get(i), typmods.get(i), notNulls.get(i));
        if (column == null) {
          throw new SQLException(
              "COPY: column \""
                  + name
                  + "\" has type "
                  + typeNames.get(i)
                  + ", which the Redshift emulation does not load",
              "0A000");
        }
        columns.add(column);
      }
      return new Target(tableId, qualified, List.copyOf(columns), session, userId);
    }

    String copySql() {
      StringBuilder sql = new StringBuilder("COPY ").append(qualifiedName).append(" (");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ")
            .append('"')
            .append(columns.get(i).name().replace("\"", "\"\""))
            .append('"');
      }
      return sql.append(") FROM STDIN WITH (FORMAT csv)").toString();
    }
  }

  /** The COPY must stop: too many bad records, or a record Redshift would silently damage. */
  private static final class LoadFailed extends Exception {
    private static final long serialVersionUID = 1L;

    LoadFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final class Load {
    private final CopyCommand copy;
    private final Target target;
    private final FieldConverter converter;
    private final LocalDateTime start = LocalDateTime.now(ZoneOffset.UTC);
    private final List<LoadError> errors = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 * FLUSH_BYTES);
    private CopySink sink;
    private String file;
    private int slice;

    Load(CopyCommand copy, Target target) {
      this.copy = copy;
      this.target = target;
      this.converter = new FieldConverter(copy);
    }

    long run() throws SQLException {
      try {
        List<S3File> files = S3Files.resolve(s3, copy);
        for (int i = 0; i < files.size(); i++) {
          S3File f = files.get(i);
          file = f.url();
          slice = i % slices;
          try (InputStream in = S3Files.open(s3, f, copy.gzip())) {
            if (copy.json()) {
              loadJson(in);
            } else {
              loadCsv(in);
            }
          } catch (IOException e) {
            throw S3Files.failure("COPY: reading '" + file + "' failed: " + e.getMessage());
          }
        }
        long rows = finish();
        recordErrors();
        return rows;
      } catch (LoadFailed e) {
        abandon();
        recordErrors();
        throw new SQLException(
            "Load into table '"
                + copy.tableName()
                + "' failed. "
                + e.getMessage()
                + " Check 'stl_load_errors' system table for details.",
            "XX000");
      } catch (SQLException | RuntimeException e) {
        abandon();
        try {
          recordErrors();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    private void loadCsv(InputStream in) throws IOException, SQLException, LoadFailed {
      CsvReader reader = new CsvReader(in, copy.delimiter(), copy.quote());
      reader.skipLines(copy.ignoreHeader());
      byte[] nullMarker = copy.nullAs().getBytes(StandardCharsets.UTF_8);
      List<Column> columns = target.columns();
      String[] values = new String[columns.size()];
      CsvReader.CsvRecord record;
      records:
      while ((record = reader.next()) != null) {
        long line = record.firstLine();
        byte[] raw = record.raw();
        if (record.nulAt() >= 0) {
          refuseNul(line, raw, null, "");
        }
        if (record.error() != null) {
          bad(line, raw, null, "", 1216, record.error(), 0);
          continue;
        }
        List<byte[]> fields = record.fields();
        if (fields.size() < columns.size()) {
          Column missing = columns.get(fields.size());
          bad(line, raw, missing, "", 1214, "Delimiter not found", 0);
          continue;
        }
        if (fields.size() > columns.size()) {
          bad(line, raw, null, "", 1202, "Extra column(s) found", 0);
          continue;
        }
        for (int i = 0; i < columns.size(); i++) {
          Column column = columns.get(i);
          byte[] field = fields.get(i);
          String text;
          if (Arrays.equals(field, nullMarker)) {
            text = null;
          } else {
            int invalid = Utf8.firstInvalid(field, 0, field.length);
            if (invalid < 0) {
              text = new String(field, StandardCharsets.UTF_8);
            } else if (copy.acceptInvChars() != null
                && column.type() == FieldConverter.Type.VARCHAR) {
              text = Utf8.decode(field, 0, field.length, copy.acceptInvChars());
            } else {
              bad(line, raw, column, display(field), 1220, invalidUtf8(field, invalid), invalid);
              continue records;
            }
          }
          try {
            values[i] = converter.convert(column, text);
          } catch (BadField e) {
            bad(line, raw, column, display(field), e.code, e.getMessage(), e.position);
            continue records;
          }
        }
        add(values);
      }
    }

    private void loadJson(InputStream in) throws IOException, SQLException, LoadFailed {
      JsonReader reader = new JsonReader(in);
      List<Column> columns = target.columns();
      String[] values = new String[columns.size()];
      JsonRecord record;
      records:
      while ((record = reader.next()) != null) {
        long line = record.lastLine();
        byte[] raw = record.raw();
        if (record.nulAt() >= 0) {
          refuseNul(line, raw, null, "");
        }
        if (record.error() != null) {
          bad(line, raw, null, "", 1216, record.error(), 0);
          continue;
        }
        int invalid = Utf8.firstInvalid(raw, 0, raw.length);
        String object;
        if (invalid < 0) {
          object = new String(raw, StandardCharsets.UTF_8);
        } else if (copy.acceptInvChars() != null) {
          object = Utf8.decode(raw, 0, raw.length, copy.acceptInvChars());
        } else {
          bad(line, raw, null, "", 1220, invalidUtf8(raw, invalid), invalid);
          continue;
        }
        Map<String, String> fields;
        try {
          fields = JsonReader.fields(object, copy.jsonIgnoreCase());
        } catch (MalformedJson e) {
          bad(line, raw, null, "", 1216, e.getMessage(), 0);
          continue;
        }
        for (int i = 0; i < columns.size(); i++) {
          Column column = columns.get(i);
          String key =
              copy.jsonIgnoreCase() ? column.name().toLowerCase(Locale.ROOT) : column.name();
          String text = fields.get(key);
          if (text != null && text.indexOf('\0') >= 0) {
            refuseNul(line, raw, column, text);
          }
          try {
            values[i] = converter.convert(column, text);
          } catch (BadField e) {
            String shown = text == null ? "" : text;
            bad(line, raw, column, shown, e.code, e.getMessage(), e.position);
            continue records;
          }
        }
        add(values);
      }
    }

    /**
     * Redshift treats NUL as the end of a record and silently loads a cut-off record; the library
     * promises never to send one, so the emulation refuses the whole COPY loudly instead.
     */
    private void refuseNul(long line, byte[] raw, Column column, String field) throws LoadFailed {
      errors.add(
          error(
              line,
              raw,
              column,
              field,
              1200,
              "NUL byte (0x00) in record; Redshift would silently cut the record here",
              0));
      throw new LoadFailed(
          "A record holds a NUL byte (0x00), which Redshift takes as the end of the record;"
              + " the emulation refuses it.");
    }

    private void bad(
        long line, byte[] raw, Column column, String field, int code, String reason, int position)
        throws LoadFailed {
      errors.add(error(line, raw, column, field, code, reason, position));
      if (errors.size() > copy.maxError()) {
        throw new LoadFailed(
            errors.size() + " bad record(s) exceed MAXERROR " + copy.maxError() + ".");
      }
    }

    private LoadError error(
        long line, byte[] raw, Column column, String field, int code, String reason, int position) {
      return new LoadError(
          slice,
          file,
          line,
          column == null ? "" : column.name(),
          column == null ? "" : column.label(),
          column == null ? "" : column.lengthLabel(),
          position,
          Utf8.display(raw, 0, raw.length, true, 1024),
          LoadError.fit(field.replace('\0', '.'), 1024),
          code,
          LoadError.fit(reason, 100));
    }

    private String display(byte[] field) {
      return Utf8.display(field, 0, field.length, false, 1024);
    }

    private String invalidUtf8(byte[] bytes, int at) {
      return String.format(
          Locale.ROOT,
          "String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: %02x",
          bytes[at] & 0xff);
    }

    /** Appends one row in PostgreSQL's CSV: every value quoted, NULL as nothing. */
    private void add(String[] values) throws SQLException {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          buffer.write(',');
        }
        String value = values[i];
        if (value != null) {
          buffer.write('"');
          buffer.writeBytes(value.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
          buffer.write('"');
        }
      }
      buffer.write('\n');
      if (buffer.size() >= FLUSH_BYTES) {
        flush();
      }
    }

    private void flush() throws SQLException {
      if (buffer.size() == 0) {
        return;
      }
      if (sink == null) {
        sink = CopySink.open(connection, target.copySql());
      }
      sink.write(buffer.toByteArray(), 0, buffer.size());
      buffer.reset();
    }

    private long finish() throws SQLException {
      flush();
      if (sink == null) {
        return 0;
      }
      CopySink done = sink;
      sink = null;
      return done.end();
    }

    private void abandon() {
      if (sink != null) {
        sink.cancel();
        sink = null;
      }
    }

    private void recordErrors() throws SQLException {
      if (errors.isEmpty()) {
        return;
      }
      List<LoadError> toRecord = List.copyOf(errors);
      errors.clear();
      try (Connection side = sideConnections.getConnection()) {
        LoadError.record(
            side, toRecord, target.userId(), target.tableId(), start, target.session(), queryId);
      }
    }
  }
}
