package io.segmentredshift.testkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Gives a PostgreSQL database the Redshift behaviour the library relies on, so that Redshift SQL
 * can be tested without a cluster.
 *
 * <pre>{@code
 * RedshiftEmulation redshift = RedshiftEmulation.builder(postgresDataSource, s3Client).build();
 * try (Connection c = redshift.dataSource().getConnection()) {
 *   c.createStatement().execute("CREATE TEMP TABLE stage (id varchar(64) DISTKEY) SORTKEY(id)");
 *   c.createStatement().execute("COPY stage FROM 's3://bucket/manifest' IAM_ROLE default"
 *       + " MANIFEST FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto'");
 * }
 * }</pre>
 *
 * <p>Connections of {@link #dataSource()}:
 *
 * <ul>
 *   <li>drop DISTSTYLE, DISTKEY, [COMPOUND|INTERLEAVED] SORTKEY and ENCODE from CREATE/ALTER TABLE,
 *       and ignore {@code SET query_group} / {@code RESET query_group};
 *   <li>run {@code COPY <table> [(columns)] FROM 's3://...'} in the same session (TEMP tables work,
 *       the COPY joins the caller's transaction), reading the files through the given S3 client,
 *       converting values by Redshift's rules, and refusing any option it does not implement;
 *   <li>on a failed COPY throw "Load into table 't' failed...", leave an open transaction aborted
 *       and keep the bad records in {@code stl_load_errors} (also as {@code
 *       sys_load_error_detail});
 *   <li>answer {@code pg_last_copy_id()}; the database has a {@code stv_slices} table.
 * </ul>
 *
 * <p>The system tables, the view and two {@code pg_last_copy_id} functions are created in schema
 * {@code public} by {@link Builder#build()}. The README of segment-redshift-testkit lists what is
 * emulated and where it differs from Redshift.
 */
public final class RedshiftEmulation {
  // Query ids are unique in the JVM, as Redshift's are in a cluster.
  private static final AtomicInteger QUERY_IDS = new AtomicInteger(1000);

  /** The system tables, view and functions the emulation adds to a database (schema public). */
  private static final List<String> SYSTEM_OBJECTS =
      List.of(
          "CREATE TABLE IF NOT EXISTS public.stl_load_errors ("
              + "userid integer, slice integer, tbl integer, starttime timestamp,"
              + " session integer, query integer, filename character(256), line_number bigint,"
              + " colname character(127), type character(10), col_length character(10),"
              + " position integer, raw_line character(1024), raw_field_value character(1024),"
              + " err_code integer, err_reason character(100))",
          "CREATE OR REPLACE VIEW public.sys_load_error_detail AS SELECT"
              + " userid AS user_id, query::bigint AS query_id, NULL::bigint AS transaction_id,"
              + " session AS session_id, current_database()::character(64) AS database_name,"
              + " tbl AS table_id, starttime AS start_time, filename AS file_name, line_number,"
              + " colname AS column_name, type AS column_type, col_length AS column_length,"
              + " position, err_code AS error_code, err_reason::character(512) AS error_message"
              + " FROM public.stl_load_errors",
          "CREATE TABLE IF NOT EXISTS public.stv_slices ("
              + "node integer, slice integer, localslice integer, type character(1))",
          "CREATE OR REPLACE FUNCTION public.pg_last_copy_id(integer) RETURNS integer"
              + " LANGUAGE sql IMMUTABLE AS 'SELECT $1'",
          "CREATE OR REPLACE FUNCTION public.pg_last_copy_id() RETURNS integer LANGUAGE plpgsql"
              + " AS $$BEGIN RAISE EXCEPTION 'pg_last_copy_id() is answered only on connections"
              + " of the Redshift emulation (segment-redshift-testkit)'; END$$");

  private final DataSource postgres;
  private final S3Client s3;
  private final int slices;

  private RedshiftEmulation(DataSource postgres, S3Client s3, int slices) {
    this.postgres = postgres;
    this.s3 = s3;
    this.slices = slices;
  }

  /**
   * Starts building an emulation.
   *
   * @param postgres the PostgreSQL database to emulate Redshift in
   * @param s3 the client COPY reads its files with
   */
  public static Builder builder(DataSource postgres, S3Client s3) {
    return new Builder(
        Objects.requireNonNull(postgres, "postgres == null"),
        Objects.requireNonNull(s3, "s3 == null"));
  }

  /** Builds a {@link RedshiftEmulation}. */
  public static final class Builder {
    private final DataSource postgres;
    private final S3Client s3;
    private int slices = 2;

    private Builder(DataSource postgres, S3Client s3) {
      this.postgres = postgres;
      this.s3 = s3;
    }

    /** The number of rows in {@code stv_slices}, i.e. the cluster's slice count; default 2. */
    public Builder slices(int slices) {
      if (slices <= 0) {
        throw new IllegalArgumentException("slices <= 0: " + slices);
      }
      this.slices = slices;
      return this;
    }

    /**
     * Creates the emulation's system tables in the database ({@code stl_load_errors}, {@code
     * stv_slices}, {@code sys_load_error_detail}, {@code pg_last_copy_id}) and returns the
     * emulation.
     */
    public RedshiftEmulation build() {
      RedshiftEmulation emulation = new RedshiftEmulation(postgres, s3, slices);
      emulation.install();
      return emulation;
    }
  }

  private void install() {
    try (Connection c = postgres.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Two emulations installing into one database at once must not race on CREATE.
        s.execute("SELECT pg_advisory_xact_lock(7281544409)");
        for (String sql : SYSTEM_OBJECTS) {
          s.execute(sql);
        }
        s.execute("DELETE FROM public.stv_slices");
        s.execute(
            "INSERT INTO public.stv_slices (node, slice, localslice, type)"
                + " SELECT 0, n, n, 'D' FROM generate_series(0, "
                + (slices - 1)
                + ") AS n");
      }
      c.commit();
    } catch (SQLException e) {
      throw new FixtureException(
          "Redshift emulation could not install its system tables: " + e.getMessage(), e);
    }
  }

  /** The cluster's slice count, as {@code stv_slices} shows it. */
  public int slices() {
    return slices;
  }

  /** A DataSource whose connections behave like Redshift for what the library relies on. */
  public DataSource dataSource() {
    return new EmulatedDataSource(postgres, this);
  }

  /**
   * Applies the emulation to another DataSource of the same database, e.g. one that connects
   * through the real Redshift JDBC driver and {@link RedshiftDriverProxy}.
   */
  public DataSource wrap(DataSource sameDatabase) {
    return new EmulatedDataSource(
        Objects.requireNonNull(sameDatabase, "sameDatabase == null"), this);
  }

  S3Client s3() {
    return s3;
  }

  static int nextQueryId() {
    return QUERY_IDS.incrementAndGet();
  }

  /** Hands out emulated connections; side connections for stl_load_errors come from the same. */
  private static final class EmulatedDataSource implements DataSource {
    private final DataSource raw;
    private final RedshiftEmulation emulation;

    EmulatedDataSource(DataSource raw, RedshiftEmulation emulation) {
      this.raw = raw;
      this.emulation = emulation;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return EmulatedConnection.wrap(raw.getConnection(), emulation, raw);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return EmulatedConnection.wrap(raw.getConnection(user, password), emulation, raw);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return raw.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      raw.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      raw.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return raw.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return raw.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return iface.isInstance(this) ? iface.cast(this) : raw.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return iface.isInstance(this) || raw.isWrapperFor(iface);
    }
  }
}
