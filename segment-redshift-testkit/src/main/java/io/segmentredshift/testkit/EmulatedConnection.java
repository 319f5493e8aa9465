package io.segmentredshift.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A JDBC connection (a {@link Proxy}) that passes every SQL text through {@link RedshiftSql} and
 * runs emulated COPY statements itself. It keeps the session's last COPY id for {@code
 * pg_last_copy_id()}. Statements it hands out are proxies too, so SQL given to {@code execute},
 * {@code executeQuery}, {@code executeUpdate} or {@code addBatch} is seen as well.
 */
final class EmulatedConnection implements InvocationHandler {
  private static final Set<String> EXECUTE_METHODS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");

  private final Connection raw;
  private final RedshiftEmulation emulation;
  private final DataSource sideConnections;
  private Connection proxy;
  private volatile int lastCopyId = -1;

  private EmulatedConnection(
      Connection raw, RedshiftEmulation emulation, DataSource sideConnections) {
    this.raw = raw;
    this.emulation = emulation;
    this.sideConnections = sideConnections;
  }

  static Connection wrap(Connection raw, RedshiftEmulation emulation, DataSource sideConnections) {
    EmulatedConnection handler = new EmulatedConnection(raw, emulation, sideConnections);
    handler.proxy =
        (Connection)
            Proxy.newProxyInstance(
                EmulatedConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                handler);
    return handler.proxy;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "equals":
        return self == args[0];
      case "hashCode":
        return System.identityHashCode(self);
      case "toString":
        return "Redshift emulation over " + raw;
      case "createStatement":
        return statement(Statement.class, (Statement) call(method, args));
      case "prepareStatement":
        return prepare(method, args, PreparedStatement.class);
      case "prepareCall":
        return prepare(method, args, CallableStatement.class);
      case "nativeSQL":
        if (RedshiftSql.plan((String) args[0], lastCopyId) instanceof RedshiftSql.Execute e) {
          return e.sql();
        }
        return args[0];
      default:
        return call(method, args);
    }
  }

  private Object prepare(Method method, Object[] args, Class<? extends Statement> type)
      throws Throwable {
    RedshiftSql.Plan plan = RedshiftSql.plan((String) args[0], lastCopyId);
    if (plan instanceof RedshiftSql.Execute e) {
      Object[] rewritten = args.clone();
      rewritten[0] = e.sql();
      return statement(type, (Statement) call(method, rewritten));
    }
    if (type == CallableStatement.class) {
      throw new SQLFeatureNotSupportedException(
          "prepareCall of COPY or SET query_group is not emulated", "0A000");
    }
    return Proxy.newProxyInstance(
        EmulatedConnection.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class},
        new PlannedStatement(plan));
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(raw, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private <T extends Statement> T statement(Class<T> type, Statement statement) {
    return type.cast(
        Proxy.newProxyInstance(
            EmulatedConnection.class.getClassLoader(),
            new Class<?>[] {type},
            new EmulatedStatement(statement)));
  }

  /** Runs an emulated COPY on this session and returns the rows loaded. */
  private long copy(RedshiftSql.Copy copy) throws SQLException {
    return new CopyExecution(
            raw,
            emulation.s3(),
            sideConnections,
            emulation.slices(),
            RedshiftEmulation.nextQueryId(),
            id -> lastCopyId = id)
        .execute(copy.tokens());
  }

  /** Runs a plan that PostgreSQL does not see; returns its update count. */
  private long runEmulated(RedshiftSql.Plan plan) throws SQLException {
    return plan instanceof RedshiftSql.Copy c ? copy(c) : 0;
  }

  private static SQLException noResult() {
    return new SQLException("No results were returned by the query.", "02000");
  }

  /**
   * A statement of the driver's whose SQL texts are planned first. After an emulated statement it
   * answers the result methods itself (an update count, no result set).
   */
  private final class EmulatedStatement implements InvocationHandler {
    private final Statement raw;
    private Long emulatedCount;

    EmulatedStatement(Statement raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      boolean sqlArgument =
          args != null && args.length > 0 && method.getParameterTypes()[0] == String.class;
      if (sqlArgument && EXECUTE_METHODS.contains(name)) {
        emulatedCount = null;
        RedshiftSql.Plan plan = RedshiftSql.plan((String) args[0], lastCopyId);
        if (plan instanceof RedshiftSql.Execute e) {
          Object[] rewritten = args.clone();
          rewritten[0] = e.sql();
          return delegate(method, rewritten);
        }
        long count = runEmulated(plan);
        emulatedCount = count;
        return switch (name) {
          case "execute" -> false;
          case "executeUpdate" -> (int) count;
          case "executeLargeUpdate" -> count;
          default -> throw noResult();
        };
      }
      if (sqlArgument && name.equals("addBatch")) {
        RedshiftSql.Plan plan = RedshiftSql.plan((String) args[0], lastCopyId);
        if (!(plan instanceof RedshiftSql.Execute e)) {
          throw new SQLFeatureNotSupportedException(
              "COPY and SET query_group cannot run in a batch in the Redshift emulation", "0A000");
        }
        return delegate(method, new Object[] {e.sql()});
      }
      if (emulatedCount != null) {
        switch (name) {
          case "getUpdateCount":
            return (int) (long) emulatedCount;
          case "getLargeUpdateCount":
            return emulatedCount;
          case "getResultSet":
            return null;
          case "getMoreResults":
            emulatedCount = -1L;
            return false;
          default:
            break;
        }
      }
      switch (name) {
        case "equals":
          return self == args[0];
        case "hashCode":
          return System.identityHashCode(self);
        case "getConnection":
          return proxy;
        default:
          emulatedCount = name.startsWith("execute") ? null : emulatedCount;
          return delegate(method, args);
      }
    }

    private Object delegate(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(raw, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * A prepared COPY or no-op: nothing is prepared on PostgreSQL; executing it runs the plan. It
   * takes no parameters.
   */
  private final class PlannedStatement implements InvocationHandler {
    private final RedshiftSql.Plan plan;
    private Long count;
    private boolean closed;
    private int queryTimeout;

    PlannedStatement(RedshiftSql.Plan plan) {
      this.plan = plan;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      boolean noArgs = args == null || args.length == 0;
      if (EXECUTE_METHODS.contains(name) && noArgs) {
        checkOpen();
        count = runEmulated(plan);
        return switch (name) {
          case "execute" -> false;
          case "executeUpdate" -> (int) (long) count;
          case "executeLargeUpdate" -> count;
          default -> throw noResult();
        };
      }
      switch (name) {
        case "equals":
          return self == args[0];
        case "hashCode":
          return System.identityHashCode(self);
        case "toString":
          return "emulated " + plan.getClass().getSimpleName();
        case "close":
          closed = true;
          return null;
        case "isClosed":
          return closed;
        case "getConnection":
          return proxy;
        case "getUpdateCount":
          return count == null ? -1 : (int) (long) count;
        case "getLargeUpdateCount":
          return count == null ? -1L : count;
        case "getResultSet":
        case "getWarnings":
          return null;
        case "getMoreResults":
          count = -1L;
          return false;
        case "clearWarnings":
        case "clearParameters":
        case "setEscapeProcessing":
        case "setFetchSize":
        case "setMaxRows":
        case "setPoolable":
        case "closeOnCompletion":
          return null;
        case "setQueryTimeout":
          queryTimeout = (Integer) args[0];
          return null;
        case "getQueryTimeout":
          return queryTimeout;
        case "isWrapperFor":
          return ((Class<?>) args[0]).isInstance(self);
        case "unwrap":
          if (((Class<?>) args[0]).isInstance(self)) {
            return self;
          }
          throw new SQLException("not a wrapper for " + args[0]);
        default:
          throw new SQLFeatureNotSupportedException(
              name + " on a prepared COPY or SET query_group is not emulated", "0A000");
      }
    }

    private void checkOpen() throws SQLException {
      if (closed) {
        throw new SQLException("This statement has been closed.", "55000");
      }
    }
  }
}
