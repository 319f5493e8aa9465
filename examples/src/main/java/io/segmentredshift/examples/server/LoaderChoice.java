package io.segmentredshift.examples.server;

import java.util.Locale;

/** The {@code --loader} choice. */
enum LoaderChoice {
  /** COPY: FROM STDIN on PostgreSQL, from staged S3 files on Redshift. */
  COPY,
  /** Prepared multi-row INSERT. */
  INSERT,
  /** INSERT for a batch's small tables, COPY for its large ones. */
  AUTO;

  static LoaderChoice parse(String origin, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "copy" -> COPY;
      case "insert" -> INSERT;
      case "auto" -> AUTO;
      default ->
          throw CommandLineException.usage(
              origin + ": not copy, insert or auto: " + Arguments.shown(value));
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
