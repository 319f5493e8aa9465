package io.segmentredshift.examples.server;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource over a JDBC URL, through {@link DriverManager}: pgjdbc for {@code jdbc:postgresql:},
 * the Redshift driver for {@code jdbc:redshift:}. No pool: the loads open one connection per batch,
 * which costs little next to a batch of thousands of events.
 */
final class UrlDataSource implements DataSource {
  private final String url;
  private final Properties properties = new Properties();
  private PrintWriter logWriter;

  UrlDataSource(String url, String user, String password) {
    this.url = url;
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties copy = new Properties();
    copy.putAll(properties);
    copy.setProperty("user", user);
    copy.setProperty("password", password);
    return DriverManager.getConnection(url, copy);
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
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
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

  /** The URL with secrets masked. */
  @Override
  public String toString() {
    return "UrlDataSource{" + Masking.jdbcUrl(url) + "}";
  }
}
