package io.segmentredshift.examples.server;

import java.util.Locale;

/**
 * One command-line option, and the environment variable that sets it when the option is not given:
 * {@code --jdbc-url} and {@code SEGMENT_REDSHIFT_JDBC_URL}.
 *
 * @param flag the option, e.g. {@code --jdbc-url}
 * @param kind whether it takes a value, may be repeated, or is a switch
 * @param secret whether its value must never be shown (passwords, secrets, keys)
 * @param valueName the value's name in the help, e.g. {@code URL}
 * @param help one or two sentences for {@code --help}
 */
record Option(String flag, Kind kind, boolean secret, String valueName, String help) {
  /** The prefix of every environment variable. */
  static final String ENV_PREFIX = "SEGMENT_REDSHIFT_";

  /** How an option takes its value. */
  enum Kind {
    /** One value; given twice, the last one counts. */
    VALUE,
    /** Repeatable; in the environment, a comma-separated list. */
    LIST,
    /**
     * No value on the command line ({@code --flag} or {@code --flag=false}); true/false in the
     * environment.
     */
    SWITCH
  }

  static Option value(String flag, String valueName, String help) {
    return new Option(flag, Kind.VALUE, false, valueName, help);
  }

  static Option secret(String flag, String valueName, String help) {
    return new Option(flag, Kind.VALUE, true, valueName, help);
  }

  static Option list(String flag, String valueName, boolean secret, String help) {
    return new Option(flag, Kind.LIST, secret, valueName, help);
  }

  static Option flag(String flag, String help) {
    return new Option(flag, Kind.SWITCH, false, "", help);
  }

  /** The environment variable, e.g. {@code SEGMENT_REDSHIFT_JDBC_URL}. */
  String env() {
    return ENV_PREFIX + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
