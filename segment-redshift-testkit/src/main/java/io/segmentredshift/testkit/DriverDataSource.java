package io.segmentredshift.testkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource over one JDBC driver, URL and set of properties (no pooling). */
final class DriverDataSource implements DataSource {
  private final Driver driver;
  private final String url;
  private final Properties properties;
  private PrintWriter logWriter;
  private int loginTimeout;

  DriverDataSource(Driver driver, String url, Properties properties) {
    this.driver = driver;
    this.url = url;
    this.properties = properties;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(properties);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties copy = new Properties();
    copy.putAll(properties);
    copy.setProperty("user", user);
    copy.setProperty("password", password);
    return connect(copy);
  }

  private Connection connect(Properties with) throws SQLException {
    Connection connection = driver.connect(url, with);
    if (connection == null) {
      throw new SQLException("the driver does not accept " + url, "08001");
    }
    return connection;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
